import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { CREDENTIAL_SOURCES, type CredentialRequest, type CredentialSource, type ResolvedCredential } from './credential-source.js';

/** Resolves a caller's provider key by asking each configured source in order. */
@Injectable()
export class CredentialResolver {
  constructor(@Inject(CREDENTIAL_SOURCES) private readonly sources: CredentialSource[]) {}

  async resolve(request: CredentialRequest): Promise<ResolvedCredential> {
    for (const source of this.sources) {
      const credential = await source.resolve(request);
      if (credential) return credential;
    }
    throw new GatewayError('CREDENTIAL_NOT_FOUND', `No ${request.provider} credential is available for this caller`, {
      provider: request.provider,
    });
  }
}
