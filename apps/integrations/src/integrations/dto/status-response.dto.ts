import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class DatabaseStatusDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status: 'up' | 'down';

  @ApiProperty({ enum: ['postgres', 'pglite'], example: 'postgres' })
  kind: 'postgres' | 'pglite';

  @ApiPropertyOptional({ example: 1.8, description: 'Round trip of SELECT 1, in milliseconds' })
  latencyMs?: number;
}

class ProviderStatusDto {
  @ApiProperty({ example: 'openai' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-22T10:00:00.000Z' })
  lastSuccessAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  lastFailureAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Error code of the last provider failure' })
  lastErrorCode: string | null;

  @ApiProperty({ example: 120 })
  successCount: number;

  @ApiProperty({ example: 3 })
  failureCount: number;

  @ApiProperty({ enum: ['closed', 'open', 'half_open'], example: 'closed', description: 'Circuit breaker state' })
  circuit: 'closed' | 'open' | 'half_open';
}

class ExecutionLogStatusDto {
  @ApiProperty({ example: 0, description: 'Records waiting to be written' })
  queued: number;

  @ApiProperty({ example: 1234 })
  written: number;

  @ApiProperty({ example: 0, description: 'Records dropped because the queue was full' })
  dropped: number;

  @ApiProperty({ example: 0, description: 'Records the database refused even on their own, so not stored' })
  rejected: number;

  @ApiProperty({ example: 0, description: 'Inserts that failed and were queued again for retry' })
  failedBatches: number;

  @ApiProperty({
    example: 0,
    description: 'Merges of pending rollups into the hourly and daily tiers that failed (tried again on the next interval)',
  })
  failedMerges: number;

  @ApiProperty({ example: 90, description: 'Days of raw rows kept (EXECUTION_LOG_RETENTION_DAYS); 0 keeps them forever' })
  retentionDays: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-09-01',
    description: 'The oldest day (UTC) whose rows are still kept, as of the last hourly maintenance',
  })
  oldestKeptDay: string | null;
}

class IntegrationStateDto {
  @ApiProperty({ example: true, description: 'False while Opstage has the agent disabled: execute answers 503 INTEGRATION_DISABLED' })
  enabled: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason: string | null;

  @ApiProperty({ example: '2026-11-22T09:00:00.000Z' })
  changedAt: string;
}

class OpsAgentStateDto {
  @ApiProperty({ example: true, description: 'Whether OPSTAGE_BACKEND_URL is configured' }) enabled: boolean;
  @ApiProperty({ example: true }) registered: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'agt_123' }) agentId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'svc_456' }) serviceId: string | null;
  @ApiProperty({ type: String, nullable: true }) lastContactAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}

export class StatusResponseDto {
  @ApiProperty({ example: 'integrations-service' })
  service: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: '2026-11-22T09:00:00.000Z' })
  startedAt: string;

  @ApiProperty({ example: 3600 })
  uptimeSeconds: number;

  @ApiProperty({ type: DatabaseStatusDto })
  database: DatabaseStatusDto;

  @ApiProperty({ type: [ProviderStatusDto] })
  providers: ProviderStatusDto[];

  @ApiProperty({ type: ExecutionLogStatusDto })
  executionLog: ExecutionLogStatusDto;

  @ApiProperty({ type: IntegrationStateDto })
  integration: IntegrationStateDto;

  @ApiProperty({ type: OpsAgentStateDto })
  opsAgent: OpsAgentStateDto;
}
