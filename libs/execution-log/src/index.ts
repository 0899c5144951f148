export * from './execution-log.entity.js';
export * from './execution-log.module.js';
export * from './execution-log.query.js';
export * from './execution-log.writer.js';
export * from './execution-record.js';
