import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface ExecutionLogConfig {
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
}

class ExecutionLogVariables {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  // 18 columns a row: 3500 rows stay under PostgreSQL's 65535 bind parameters per statement.
  @Max(3500)
  EXECUTION_LOG_BATCH_SIZE = 200;

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
}

export const executionLogConfig = configSlice('executionLog', ExecutionLogVariables, (env): ExecutionLogConfig => ({
  batchSize: env.EXECUTION_LOG_BATCH_SIZE,
  flushIntervalMs: env.EXECUTION_LOG_FLUSH_INTERVAL_MS,
  maxQueueSize: env.EXECUTION_LOG_MAX_QUEUE,
}));
