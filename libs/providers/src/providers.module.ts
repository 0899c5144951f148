import { Module } from '@nestjs/common';
import { OpenAiCompatibleAdapter } from './openai-compatible/openai-compatible.adapter.js';
import { ENVIRONMENT_KEYS } from './environment-keys.token.js';
import type { UpstreamProviderConfig } from './provider-config.js';
import { PROVIDER_REGISTRATIONS } from './provider-registrations.js';
import { providersConfig, type ProvidersConfig } from './providers.config.js';
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

/** Every built-in adapter class (from the registrations); each is an injectable collected under PROVIDER_ADAPTERS. */
const ADAPTERS = PROVIDER_REGISTRATIONS.map((registration) => registration.adapter);
const BUILT_IN_CONFIGS = PROVIDER_REGISTRATIONS.map((registration) => registration.config.token);

@Module({
  providers: [
    ...ADAPTERS,
    {
      provide: PROVIDER_ADAPTERS,
      // Built-ins, then one OpenAI-compatible adapter per CUSTOM_PROVIDERS entry (no code per endpoint).
      useFactory: (config: ProvidersConfig, ...builtIns: ProviderAdapter[]): ProviderAdapter[] => [
        ...builtIns,
        ...config.custom.map((custom) => new OpenAiCompatibleAdapter(custom)),
      ],
      inject: [providersConfig.token, ...ADAPTERS],
    },
    {
      provide: ENVIRONMENT_KEYS,
      // Service-level keys from the environment (OPENAI_API_KEY…, a custom provider's apiKeyEnv), by provider.
      useFactory: (config: ProvidersConfig, ...builtIns: UpstreamProviderConfig[]): ReadonlyMap<string, string> => {
        const keys = new Map<string, string>();
        PROVIDER_REGISTRATIONS.forEach(({ config: slice }, index) => {
          const apiKey = builtIns[index].apiKey;
          if (apiKey) keys.set(slice.name, apiKey);
        });
        for (const custom of config.custom) if (custom.apiKey) keys.set(custom.name, custom.apiKey);
        return keys;
      },
      inject: [providersConfig.token, ...BUILT_IN_CONFIGS],
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
  exports: [
    ENVIRONMENT_KEYS,
    ProviderRegistry,
    ProviderExecutor,
    ProviderHealthTracker,
    CircuitBreaker,
    FallbackPlanner,
    IntegrationSwitch,
  ],
})
export class ProvidersModule {}
