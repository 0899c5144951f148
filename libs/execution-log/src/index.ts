export { EXECUTION_LOG_MIGRATIONS, ExecutionLogModule } from './execution-log.module.js';
export { ExecutionLogQuery } from './execution-log.query.js';
export { ExecutionLogWriter, type ExecutionLogWriterStats } from './execution-log.writer.js';
