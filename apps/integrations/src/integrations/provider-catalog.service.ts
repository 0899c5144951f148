import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import { CredentialResolver } from '@app/credentials';
import { ProviderRegistry, type ProviderAdapter } from '@app/providers';
import { ProviderProfiles } from '../platform/provider-profiles.js';
import type { ProviderDto } from './dto/providers-response.dto.js';

/** What GET /providers shows: every provider, and whether this caller could call it right now. */
@Injectable()
export class ProviderCatalog {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialResolver,
    private readonly profiles: ProviderProfiles,
  ) {}

  list(caller: Caller | undefined): Promise<ProviderDto[]> {
    return Promise.all(
      this.registry.list().map(async (adapter) => ({
        name: adapter.name,
        displayName: adapter.displayName,
        baseUrl: adapter.baseUrl,
        defaultModel: this.profiles.find(adapter.name)?.defaultModel ?? adapter.operations[0]?.defaultModel ?? '',
        supportedOperations: adapter.operations.map((operation) => operation.name),
        operations: adapter.operations.map((operation) => ({ ...operation })),
        timeoutMs: adapter.timeoutMs,
        requiresCredential: adapter.requiresCredential,
        credentialAvailable: await this.credentialAvailable(adapter, caller),
      })),
    );
  }

  /** true/false for an identified caller; null when anonymous or when a key source could not answer. */
  private async credentialAvailable(adapter: ProviderAdapter, caller: Caller | undefined): Promise<boolean | null> {
    if (!adapter.requiresCredential) return true;
    if (!caller) return null;
    try {
      await this.credentials.resolve({
        userId: caller.userId,
        orgId: caller.orgId,
        provider: adapter.name,
        bearerToken: caller.bearerToken,
      });
      return true;
    } catch (error) {
      return error instanceof GatewayError && error.code === 'CREDENTIAL_NOT_FOUND' ? false : null;
    }
  }
}
