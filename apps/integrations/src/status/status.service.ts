import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '@app/database';
import { ExecutionLogPartitions, ExecutionLogWriter } from '@app/execution-log';
import { OpsAgentService } from '@app/ops-agent';
import { CircuitBreaker, IntegrationSwitch, ProviderHealthTracker, ProviderRegistry } from '@app/providers';
import type { StatusResponseDto } from '../integrations/dto/status-response.dto.js';
import { readServiceVersion } from '@app/common';

@Injectable()
export class StatusService {
  private readonly startedAt = new Date();
  private readonly service = readServiceVersion();

  constructor(
    @Inject(databaseConfig.token) private readonly database: DatabaseConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly tracker: ProviderHealthTracker,
    private readonly circuit: CircuitBreaker,
    private readonly executionLog: ExecutionLogWriter,
    private readonly partitions: ExecutionLogPartitions,
    private readonly integration: IntegrationSwitch,
    @Optional() private readonly opsAgent?: OpsAgentService,
  ) {}

  async status(): Promise<StatusResponseDto> {
    return {
      service: this.service.name,
      version: this.service.version,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.floor((Date.now() - this.startedAt.getTime()) / 1000),
      database: await this.databaseStatus(),
      providers: this.tracker
        .snapshot(this.registry.names())
        .map((provider) => ({ ...provider, circuit: this.circuit.state(provider.name) })),
      executionLog: {
        ...this.executionLog.stats(),
        ...this.partitions.retention(),
      },
      integration: this.integration.state(),
      opsAgent: this.opsAgent?.state() ?? {
        enabled: false,
        registered: false,
        agentId: null,
        serviceId: null,
        lastContactAt: null,
        lastError: null,
      },
    };
  }

  private async databaseStatus(): Promise<StatusResponseDto['database']> {
    const kind = this.database.kind;
    const startedAt = performance.now();
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'up', kind, latencyMs: Math.round((performance.now() - startedAt) * 100) / 100 };
    } catch {
      return { status: 'down', kind };
    }
  }
}
