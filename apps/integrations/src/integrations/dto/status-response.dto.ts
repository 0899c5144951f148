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
}

class ExecutionLogStatusDto {
  @ApiProperty({ example: 0, description: 'Records waiting to be written' })
  queued: number;

  @ApiProperty({ example: 1234 })
  written: number;

  @ApiProperty({ example: 0, description: 'Records dropped because the queue was full' })
  dropped: number;

  @ApiProperty({ example: 0 })
  failedBatches: number;
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
}
