export { executionLogConfig, type ExecutionLogConfig } from './execution-log.config.js';
// ExecutionLogEntity: the benchmark (bench/run.mjs) writes through its own data source.
export { ExecutionLogEntity } from './execution-log.entity.js';
export { EXECUTION_LOG_MIGRATIONS, ExecutionLogModule } from './execution-log.module.js';
export { ExecutionLogQuery, type ExecutionLogScope } from './execution-log.query.js';
export { ExecutionLogWriter, type ExecutionLogWriterStats } from './execution-log.writer.js';
export { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';
// rollupUpsert: bench/scale.mjs folds its generated rows into rollups with the writer's own statement.
export { rollupUpsert } from './rollups/rollup-statement.js';
export { UsageSeriesQuery, type LatencyRow, type SeriesBucket, type SeriesDimension, type SeriesRow } from './usage-series.query.js';
