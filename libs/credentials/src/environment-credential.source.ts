import { Injectable } from '@nestjs/common';
import type { CredentialRequest, CredentialSource, ResolvedCredential } from './credential-source.js';
import { ServiceKeys } from './vault/service-keys.js';

/**
 * The gateway's service-level key per provider, shared by every caller (single-tenant setups):
 * `OPENAI_API_KEY`, a custom provider's `apiKeyEnv`, … or the key an operator rotated in through
 * Opstage, which replaces the variable's.
 */
@Injectable()
export class EnvironmentCredentialSource implements CredentialSource {
  readonly name = 'environment';

  constructor(private readonly serviceKeys: ServiceKeys) {}

  async resolve(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const key = await this.serviceKeys.current(request.provider);
    return key ? { apiKey: key.apiKey, source: key.source, isProxy: false } : null;
  }
}
