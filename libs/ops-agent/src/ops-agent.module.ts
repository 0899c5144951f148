import { HttpModule } from '@nestjs/axios';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { OpsAgentConfig } from './ops-agent.config.js';
import { CredentialsModule } from '@app/credentials';
import { ProvidersModule } from '@app/providers';
import { ActionRunner } from './actions/action-runner.js';
import { HealthCheckAction } from './actions/health-check.action.js';
import { RollbackKeyAction, RotateKeyAction, ServiceKeyActionsSupport } from './actions/key-rotation.actions.js';
import { OPS_ACTIONS, type OpsAction } from './actions/ops-action.js';
import { ResetCircuitAction } from './actions/reset-circuit.action.js';
import { AuditEntryEntity } from './audit/audit-entry.entity.js';
import { AuditLog } from './audit/audit-log.js';
import { ConfigStateEntity } from './audit/config-state.entity.js';
import { CreateOpsAudit1763800400000 } from './audit/migrations/1763800400000-create-ops-audit.js';
import { AddAgentVerdictAndOutbox1763800500000 } from './audit/migrations/1763800500000-add-agent-verdict-and-outbox.js';
import { OpsAgentService } from './ops-agent.service.js';
import { OpstageClient } from './opstage/opstage.client.js';
import { ConfigReport } from './report/config-report.js';
import { ServiceHealth } from './report/service-health.js';
import { AgentVerdictEntity } from './state/agent-verdict.entity.js';
import { AgentVerdictStore } from './state/agent-verdict.store.js';
import { OutboxEntryEntity } from './state/outbox-entry.entity.js';
import { ResultOutbox } from './state/result-outbox.js';

export const OPS_AGENT_MIGRATIONS = [CreateOpsAudit1763800400000, AddAgentVerdictAndOutbox1763800500000];

/** The actions offered to operators: adding one is a class and a line here. */
const ACTIONS = [HealthCheckAction, RotateKeyAction, RollbackKeyAction, ResetCircuitAction];

/**
 * The Opstage agent and what it acts on. The audit log always exists (the audit endpoint reads it);
 * the agent itself only when OPSTAGE_BACKEND_URL is set. The switch it turns is the data plane's
 * (IntegrationSwitch, in @app/providers).
 */
@Module({})
export class OpsAgentModule {
  static register(config: OpsAgentConfig): DynamicModule {
    const providers: Provider[] = [AuditLog];
    if (config.opstage) {
      providers.push(
        OpstageClient,
        OpsAgentService,
        ServiceHealth,
        ConfigReport,
        ActionRunner,
        AgentVerdictStore,
        ResultOutbox,
        ServiceKeyActionsSupport,
        ...ACTIONS,
        {
          provide: OPS_ACTIONS,
          inject: ACTIONS,
          useFactory: (...actions: OpsAction[]) => actions,
        },
      );
    }
    return {
      module: OpsAgentModule,
      imports: [
        HttpModule,
        ProvidersModule,
        CredentialsModule,
        TypeOrmModule.forFeature([AuditEntryEntity, ConfigStateEntity, AgentVerdictEntity, OutboxEntryEntity]),
      ],
      providers,
      exports: config.opstage ? [AuditLog, OpsAgentService] : [AuditLog],
    };
  }
}
