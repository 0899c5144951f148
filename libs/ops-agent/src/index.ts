export * from './audit/audit-entry.entity.js';
export * from './audit/audit-log.js';
export * from './ops-agent.module.js';
export * from './ops-agent.service.js';
