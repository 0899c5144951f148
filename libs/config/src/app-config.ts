import { authConfig } from '@app/auth';
import { catalogConfig } from '@app/catalog';
import type { ConfigOf, ConfigSlice } from '@app/common';
import { credentialsConfig } from '@app/credentials';
import { databaseConfig } from '@app/database';
import { executionLogConfig } from '@app/execution-log';
import { identityConfig } from '@app/identity';
import { limitsConfig } from '@app/limits';
import { opsAgentConfig } from '@app/ops-agent';
import { PROVIDER_REGISTRATIONS, providersConfig, resilienceConfig, upstreamConfig, type UpstreamProviderConfig } from '@app/providers';
import { responseCacheConfig } from './response-cache.config.js';
import { serverConfig } from './server.config.js';
import { tracingConfig } from './tracing.config.js';

/** The slices of every library, in the order their problems are listed. */
const LIBRARY_SLICES = [
  serverConfig,
  responseCacheConfig,
  tracingConfig,
  databaseConfig,
  authConfig,
  identityConfig,
  credentialsConfig,
  catalogConfig,
  limitsConfig,
  executionLogConfig,
  opsAgentConfig,
  upstreamConfig,
  resilienceConfig,
  providersConfig,
] as const;

/** Every slice the service reads: the libraries', then one per registered provider (from the registrations alone). */
export function configSlices(): readonly ConfigSlice[] {
  return [...LIBRARY_SLICES, ...PROVIDER_REGISTRATIONS.map((registration) => registration.config)];
}

/**
 * The validated configuration, each slice's value under its name: assembled at boot for the
 * composition root; every library is injected its own slice only (its token), never the whole.
 */
export type AppConfig = ConfigOf<typeof LIBRARY_SLICES>;

/** A registered provider's own slice (kept under the provider's name beside the libraries' slices). */
export function providerConfig(config: AppConfig, provider: string): UpstreamProviderConfig | undefined {
  return (config as unknown as Record<string, UpstreamProviderConfig | undefined>)[provider];
}
