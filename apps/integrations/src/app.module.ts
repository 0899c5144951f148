import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthModule } from '@app/auth';
import { ConfigModule, type AppConfig } from '@app/config';
import { CREDENTIAL_MIGRATIONS, CredentialsModule } from '@app/credentials';
import { DatabaseModule } from '@app/database';
import { EXECUTION_LOG_MIGRATIONS, ExecutionLogModule } from '@app/execution-log';
import { LimitsModule } from '@app/limits';
import { OPS_AGENT_MIGRATIONS, OpsAgentModule } from '@app/ops-agent';
import { ProvidersModule } from '@app/providers';
import { AuditController } from './audit/audit.controller.js';
import { CredentialsController } from './credentials/credentials.controller.js';
import { HealthController } from './health/health.controller.js';
import { HttpDrain } from './http/http-drain.js';
import { CallLogger, ROOT_LOGGER } from './logging/call-logger.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { OpenAiCompatController } from './openai-compat/openai-compat.controller.js';
import { CostEstimator } from './spend/cost-estimator.js';
import { SpendController } from './spend/spend.controller.js';
import { Admission } from './execute/admission.js';
import { AttemptAccounting } from './execute/attempt-accounting.js';
import { ATTEMPT_OBSERVERS, type AttemptObserver } from './execute/attempt-observer.js';
import { AttemptRecorder } from './execute/attempt-recorder.js';
import { ExecuteService } from './execute/execute.service.js';
import { CallLogObserver } from './execute/observers/call-log.observer.js';
import { ExecutionLogObserver } from './execute/observers/execution-log.observer.js';
import { MetricsObserver } from './execute/observers/metrics.observer.js';
import { IntegrationsController } from './integrations/integrations.controller.js';
import { ProviderCatalog } from './integrations/provider-catalog.service.js';
import { StatusService } from './status/status.service.js';

/** Every output an attempt feeds: adding one is a class and a line here. */
const OBSERVERS = [CallLogObserver, MetricsObserver, ExecutionLogObserver];

/** Composition root: the HTTP layer over the auth, provider, credential and execution-log contexts. */
@Module({})
export class AppModule {
  static register(config: AppConfig, rootLogger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ migrations: [...EXECUTION_LOG_MIGRATIONS, ...CREDENTIAL_MIGRATIONS, ...OPS_AGENT_MIGRATIONS] }),
        AuthModule.register(config),
        ProvidersModule,
        CredentialsModule,
        ExecutionLogModule,
        OpsAgentModule.register(config),
        LimitsModule,
      ],
      controllers: [
        IntegrationsController,
        SpendController,
        CredentialsController,
        AuditController,
        HealthController,
        MetricsController,
        OpenAiCompatController,
      ],
      providers: [
        HttpDrain,
        ExecuteService,
        Admission,
        AttemptAccounting,
        AttemptRecorder,
        ...OBSERVERS,
        { provide: ATTEMPT_OBSERVERS, inject: OBSERVERS, useFactory: (...observers: AttemptObserver[]) => observers },
        ProviderCatalog,
        StatusService,
        CostEstimator,
        GatewayMetrics,
        CallLogger,
        { provide: ROOT_LOGGER, useValue: rootLogger },
      ],
    };
  }
}
