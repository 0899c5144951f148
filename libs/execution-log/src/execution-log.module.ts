import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionLogEntity } from './execution-log.entity.js';
import { ExecutionLogQuery } from './execution-log.query.js';
import { ExecutionLogWriter } from './execution-log.writer.js';
import { UsageSeriesQuery } from './usage-series.query.js';
import { CreateExecutionLogs1763800000000 } from './migrations/1763800000000-create-execution-logs.js';
import { AddCredentialColumns1763800200000 } from './migrations/1763800200000-add-credential-columns.js';
import { AddCachedColumn1763800700000 } from './migrations/1763800700000-add-cached-column.js';
import { PartitionExecutionLogs1764500000000 } from './migrations/1764500000000-partition-execution-logs.js';
import { DailyRollups1764600000000 } from './migrations/1764600000000-daily-rollups.js';
import { PendingRollups1764800000000 } from './migrations/1764800000000-pending-rollups.js';
import { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';

/** Migrations this context owns, in order; the database module runs them at boot. */
export const EXECUTION_LOG_MIGRATIONS = [
  CreateExecutionLogs1763800000000,
  AddCredentialColumns1763800200000,
  AddCachedColumn1763800700000,
  PartitionExecutionLogs1764500000000,
  DailyRollups1764600000000,
  PendingRollups1764800000000,
];

@Module({
  imports: [TypeOrmModule.forFeature([ExecutionLogEntity])],
  providers: [ExecutionLogWriter, ExecutionLogQuery, ExecutionLogPartitions, UsageSeriesQuery],
  exports: [ExecutionLogWriter, ExecutionLogQuery, ExecutionLogPartitions, UsageSeriesQuery],
})
export class ExecutionLogModule {}
