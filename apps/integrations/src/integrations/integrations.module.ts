import { Module, type DynamicModule } from '@nestjs/common';
import { CredentialsModule } from '@app/credentials';
import { ExecutionLogModule } from '@app/execution-log';
import { ProvidersModule } from '@app/providers';
import { BatchController } from './batch.controller.js';
import { IntegrationsController } from './integrations.controller.js';
import { ProviderCatalog } from './provider-catalog.service.js';

/** /api/integrations: execute, the providers list and the execution log. */
@Module({})
export class IntegrationsModule {
  static register(execute: DynamicModule, platform: DynamicModule): DynamicModule {
    return {
      module: IntegrationsModule,
      imports: [ProvidersModule, CredentialsModule, ExecutionLogModule, execute, platform],
      controllers: [IntegrationsController, BatchController],
      providers: [ProviderCatalog],
    };
  }
}
