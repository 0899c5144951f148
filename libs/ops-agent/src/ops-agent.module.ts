import { HttpModule } from '@nestjs/axios';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@app/config';
import { CredentialsModule } from '@app/credentials';
import { ProvidersModule } from '@app/providers';
import { ActionRunner } from './actions/action-runner.js';
import { HealthCheckAction } from './actions/health-check.action.js';
import { KeyRotationActions } from './actions/key-rotation.actions.js';
import { AuditEntryEntity } from './audit/audit-entry.entity.js';
import { AuditLog } from './audit/audit-log.js';
import { ConfigStateEntity } from './audit/config-state.entity.js';
import { CreateOpsAudit1763800400000 } from './audit/migrations/1763800400000-create-ops-audit.js';
import { IntegrationSwitch } from './integration-switch.js';
import { OpsAgentService } from './ops-agent.service.js';
import { OpstageClient } from './opstage/opstage.client.js';
import { ConfigReport } from './report/config-report.js';
import { ServiceHealth } from './report/service-health.js';

export const OPS_AGENT_MIGRATIONS = [CreateOpsAudit1763800400000];

/**
 * The Opstage agent and what it acts on. The switch and the audit log always exist (the data plane
 * and the audit endpoint use them); the agent itself only when OPSTAGE_BACKEND_URL is set.
 */
@Module({})
export class OpsAgentModule {
  static register(config: AppConfig): DynamicModule {
    const providers: Provider[] = [IntegrationSwitch, AuditLog];
    if (config.opsAgent) {
      providers.push(OpstageClient, OpsAgentService, ServiceHealth, ConfigReport, ActionRunner, HealthCheckAction, KeyRotationActions);
    }
    return {
      module: OpsAgentModule,
      global: true,
      imports: [HttpModule, ProvidersModule, CredentialsModule, TypeOrmModule.forFeature([AuditEntryEntity, ConfigStateEntity])],
      providers,
      exports: config.opsAgent ? [IntegrationSwitch, AuditLog, OpsAgentService] : [IntegrationSwitch, AuditLog],
    };
  }
}
