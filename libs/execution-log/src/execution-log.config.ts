import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface ExecutionLogConfig {
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  /** Days of raw rows kept (whole daily partitions are dropped past it); 0 keeps them forever. */
  retentionDays: number;
  /** Days of hourly rollups kept; 0 keeps them forever. */
  rollupRetentionDays: number;
  /** How often the rollups appended with each batch are merged into the hourly and daily tiers. */
  rollupMergeIntervalMs: number;
}

class ExecutionLogVariables {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  // A batch is one statement with one JSON parameter; the bound keeps a statement's memory modest.
  @Max(3500)
  EXECUTION_LOG_BATCH_SIZE = 2000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EXECUTION_LOG_FLUSH_INTERVAL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  EXECUTION_LOG_MAX_QUEUE = 50_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(36_500)
  EXECUTION_LOG_RETENTION_DAYS = 90;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(36_500)
  EXECUTION_LOG_ROLLUP_RETENTION_DAYS = 400;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  // Readers also read what is pending, so a longer interval keeps answers exact; it only makes them read more rows.
  @Max(60_000)
  EXECUTION_LOG_ROLLUP_MERGE_MS = 5000;
}

export const executionLogConfig = configSlice('executionLog', ExecutionLogVariables, (env, { problem }): ExecutionLogConfig => {
  const forever = (days: number) => (days === 0 ? Infinity : days);
  // /executions counts whole hours from rollups: they must cover every day raw rows are kept for.
  if (forever(env.EXECUTION_LOG_ROLLUP_RETENTION_DAYS) < forever(env.EXECUTION_LOG_RETENTION_DAYS)) {
    problem('EXECUTION_LOG_ROLLUP_RETENTION_DAYS must be 0 (forever) or at least EXECUTION_LOG_RETENTION_DAYS: rollups outlive raw rows');
  }
  return {
    batchSize: env.EXECUTION_LOG_BATCH_SIZE,
    flushIntervalMs: env.EXECUTION_LOG_FLUSH_INTERVAL_MS,
    maxQueueSize: env.EXECUTION_LOG_MAX_QUEUE,
    retentionDays: env.EXECUTION_LOG_RETENTION_DAYS,
    rollupRetentionDays: env.EXECUTION_LOG_ROLLUP_RETENTION_DAYS,
    rollupMergeIntervalMs: env.EXECUTION_LOG_ROLLUP_MERGE_MS,
  };
});
