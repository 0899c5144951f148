import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthModule } from '@app/auth';
import type { Clock } from '@app/common';
import { ConfigModule, type AppConfig } from '@app/config';
import { CREDENTIAL_MIGRATIONS } from '@app/credentials';
import { DatabaseModule } from '@app/database';
import { EXECUTION_LOG_MIGRATIONS } from '@app/execution-log';
import { OPS_AGENT_MIGRATIONS, OpsAgentModule } from '@app/ops-agent';
import { AnthropicCompatModule } from './anthropic-compat/anthropic-compat.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CredentialsApiModule } from './credentials/credentials-api.module.js';
import { ExecuteModule } from './execute/execute.module.js';
import { HttpDrain } from './http/http-drain.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { ObservabilityModule } from './metrics/observability.module.js';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { SpendModule } from './spend/spend.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { StatusModule } from './status/status.module.js';

/**
 * Composition root: the feature modules (each a route group with what it needs) over the auth,
 * provider, credential, execution-log and ops-agent contexts. Modules configured at boot are built
 * once here and handed to every feature that imports them, so each exists once.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, rootLogger: Logger, clock?: Clock): DynamicModule {
    const observability = ObservabilityModule.register(rootLogger);
    const opsAgent = OpsAgentModule.register(config.opsAgent);
    const execute = ExecuteModule.register(observability);
    const status = StatusModule.register(opsAgent);
    const platform = PlatformModule.register(status, execute);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        DatabaseModule.forRoot({ migrations: [...EXECUTION_LOG_MIGRATIONS, ...CREDENTIAL_MIGRATIONS, ...OPS_AGENT_MIGRATIONS] }),
        AuthModule.register(config.auth),
        observability,
        opsAgent,
        IntegrationsModule.register(execute, platform),
        platform,
        OpenAiCompatModule.register(execute, platform),
        AnthropicCompatModule.register(execute, platform),
        CredentialsApiModule,
        SpendModule,
        DashboardModule,
        AuditModule.register(opsAgent),
        status,
      ],
      providers: [HttpDrain],
    };
  }
}
