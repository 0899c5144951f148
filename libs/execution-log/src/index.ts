export { executionLogConfig, type ExecutionLogConfig } from './execution-log.config.js';
// ExecutionLogEntity: the benchmark (bench/run.mjs) writes through its own data source.
export { ExecutionLogEntity } from './execution-log.entity.js';
export { EXECUTION_LOG_MIGRATIONS, ExecutionLogModule } from './execution-log.module.js';
export { ExecutionLogQuery } from './execution-log.query.js';
export { ExecutionLogWriter, type ExecutionLogWriterStats } from './execution-log.writer.js';
