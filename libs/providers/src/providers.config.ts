import { IsOptional, IsString } from 'class-validator';
import { configSlice } from '@app/common';
import { parseFallbackChains, type FallbackRule } from './fallback/fallback-chains.js';
import { parseCustomProviders, type CustomProviderConfig } from './openai-compatible/custom-providers.js';
import { builtInProviderNames } from './provider-registrations.js';

/** What is configured across providers: OpenAI-compatible endpoints declared by name, and fallbacks between providers. */
export interface ProvidersConfig {
  custom: CustomProviderConfig[];
  fallbacks: FallbackRule[];
}

class ProvidersVariables {
  /** JSON array of OpenAI-compatible providers; see openai-compatible/custom-providers.ts for the fields. */
  @IsOptional()
  @IsString()
  CUSTOM_PROVIDERS?: string = undefined;

  /** Hosts custom providers may point at (comma separated; `*.example.com` wildcards). */
  @IsOptional()
  @IsString()
  CUSTOM_PROVIDER_ALLOWED_HOSTS?: string = undefined;

  /** JSON array of fallback rules; see fallback/fallback-chains.ts. */
  @IsOptional()
  @IsString()
  FALLBACK_CHAINS?: string = undefined;
}

export const providersConfig = configSlice('providers', ProvidersVariables, (env, { environment, problem }): ProvidersConfig => {
  const builtIns = builtInProviderNames();
  const custom = parseCustomProviders(env.CUSTOM_PROVIDERS, env.CUSTOM_PROVIDER_ALLOWED_HOSTS, environment, builtIns);
  const fallbacks = parseFallbackChains(env.FALLBACK_CHAINS, [...builtIns, ...custom.providers.map((provider) => provider.name)]);
  for (const message of [...custom.problems, ...fallbacks.problems]) problem(message);
  return { custom: custom.providers, fallbacks: fallbacks.rules };
});
