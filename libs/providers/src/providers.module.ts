import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AnthropicAdapter } from './anthropic/anthropic.adapter.js';
import { HuggingFaceAdapter } from './huggingface/huggingface.adapter.js';
import { OpenAiAdapter } from './openai/openai.adapter.js';
import { OpenAiCompatibleAdapter } from './openai-compatible/openai-compatible.adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import { PROVIDER_ADAPTERS } from './provider-adapters.token.js';
import { ProviderHealthTracker } from './provider-health.tracker.js';
import { ProviderExecutor } from './provider.executor.js';
import { ProviderRegistry } from './provider.registry.js';
import { FallbackPlanner } from './fallback/fallback-planner.js';
import { IntegrationSwitch } from './integration-switch.js';
import { CircuitBreaker } from './resilience/circuit-breaker.js';
import { RetryPolicy } from './resilience/retry-policy.js';
import { UpstreamClient } from './upstream/upstream.client.js';

/** Every built-in adapter class; each is an injectable collected under PROVIDER_ADAPTERS. */
const ADAPTERS = [OpenAiAdapter, AnthropicAdapter, HuggingFaceAdapter];

@Module({
  providers: [
    ...ADAPTERS,
    {
      provide: PROVIDER_ADAPTERS,
      // Built-ins, then one OpenAI-compatible adapter per CUSTOM_PROVIDERS entry (no code per endpoint).
      useFactory: (config: AppConfig, ...builtIns: ProviderAdapter[]): ProviderAdapter[] => [
        ...builtIns,
        ...config.customProviders.map((custom) => new OpenAiCompatibleAdapter(custom)),
      ],
      inject: [APP_CONFIG, ...ADAPTERS],
    },
    ProviderRegistry,
    ProviderExecutor,
    ProviderHealthTracker,
    UpstreamClient,
    RetryPolicy,
    CircuitBreaker,
    FallbackPlanner,
    IntegrationSwitch,
  ],
  exports: [ProviderRegistry, ProviderExecutor, ProviderHealthTracker, CircuitBreaker, FallbackPlanner, IntegrationSwitch],
})
export class ProvidersModule {}
