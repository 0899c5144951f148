import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { CredentialsModule } from '@app/credentials';
import { ProvidersModule } from '@app/providers';
import { CapabilitiesService } from './capabilities.service.js';
import { CredentialChecks } from './credential-check.js';
import { ModelListing } from './model-listing.js';
import { OutOfScopeController } from './out-of-scope.controller.js';
import { PlatformController } from './platform.controller.js';
import { ProviderProfiles } from './provider-profiles.js';
import { AutoRouter } from '../routing/auto-router.js';
import { ExecuteCalls } from '../routing/execute-calls.js';
import { StatsController } from './stats.controller.js';

/**
 * The platform callers' routes besides execute (status, providers, models, capabilities, circuit
 * breaker, stats), and how every execute route reaches the pipeline (catalog defaults, auto routing).
 */
@Module({})
export class PlatformModule {
  static register(status: DynamicModule, execute: DynamicModule): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ProvidersModule, CredentialsModule, CatalogModule, status, execute],
      controllers: [PlatformController, StatsController, OutOfScopeController],
      providers: [ProviderProfiles, ModelListing, CredentialChecks, CapabilitiesService, AutoRouter, ExecuteCalls],
      exports: [ProviderProfiles, ExecuteCalls],
    };
  }
}
