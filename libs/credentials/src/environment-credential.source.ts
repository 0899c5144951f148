import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { CredentialRequest, CredentialSource, ResolvedCredential } from './credential-source.js';

/**
 * Service-level keys from the environment (`OPENAI_API_KEY`, a custom provider's `apiKeyEnv`, …), for single-tenant deployments where
 * every caller shares one key.
 */
@Injectable()
export class EnvironmentCredentialSource implements CredentialSource {
  readonly name = 'environment';
  private readonly keys: ReadonlyMap<string, string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const keys = new Map<string, string>();
    for (const [provider, providerConfig] of Object.entries(config.providers)) {
      if (providerConfig.apiKey) keys.set(provider, providerConfig.apiKey);
    }
    for (const custom of config.customProviders) {
      if (custom.apiKey) keys.set(custom.name, custom.apiKey);
    }
    this.keys = keys;
  }

  async resolve(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const apiKey = this.keys.get(request.provider);
    return apiKey ? { apiKey, source: this.name, isProxy: false } : null;
  }
}
