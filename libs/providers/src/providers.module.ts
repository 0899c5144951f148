import { Module } from '@nestjs/common';
import { OpenAiAdapter } from './openai/openai.adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import { PROVIDER_ADAPTERS } from './provider-adapters.token.js';
import { ProviderExecutor } from './provider.executor.js';
import { ProviderRegistry } from './provider.registry.js';
import { UpstreamClient } from './upstream/upstream.client.js';

/** Every adapter class; each is an injectable collected under PROVIDER_ADAPTERS for the registry. */
const ADAPTERS = [OpenAiAdapter];

@Module({
  providers: [
    ...ADAPTERS,
    {
      provide: PROVIDER_ADAPTERS,
      useFactory: (...adapters: ProviderAdapter[]) => adapters,
      inject: ADAPTERS,
    },
    ProviderRegistry,
    ProviderExecutor,
    UpstreamClient,
  ],
  exports: [ProviderRegistry, ProviderExecutor],
})
export class ProvidersModule {}
