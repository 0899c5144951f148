import { Injectable } from '@nestjs/common';
import type { CredentialRequest, CredentialSource, ResolvedCredential } from '../credential-source.js';
import { CredentialVault } from './credential-vault.js';

/** The caller's own vault key, else their organization's shared key. Never anyone else's. */
@Injectable()
export class VaultCredentialSource implements CredentialSource {
  readonly name = 'vault';

  constructor(private readonly vault: CredentialVault) {}

  async resolve(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const own = await this.vault.find('user', request.userId, request.provider);
    if (own) return { apiKey: own.apiKey, source: this.name, credentialId: own.id, isProxy: false };
    if (!request.orgId) return null;
    const shared = await this.vault.find('org', request.orgId, request.provider);
    return shared ? { apiKey: shared.apiKey, source: this.name, credentialId: shared.id, isProxy: true } : null;
  }
}
