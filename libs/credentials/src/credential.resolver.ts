import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { CREDENTIAL_SOURCES } from './credential-sources.token.js';
import { MissBeingChecked, type CredentialRequest, type CredentialSource, type ResolvedCredential } from './credential-source.js';

/** Resolves a caller's provider key by asking each enabled source in the configured order. */
@Injectable()
export class CredentialResolver {
  constructor(@Inject(CREDENTIAL_SOURCES) private readonly sources: CredentialSource[]) {}

  async resolve(request: CredentialRequest): Promise<ResolvedCredential> {
    let beingChecked: MissBeingChecked[] | undefined;
    for (const source of this.sources) {
      const answer = await source.resolve(request);
      if (answer instanceof MissBeingChecked) (beingChecked ??= []).push(answer);
      else if (answer) return answer;
    }
    // No source had a key: a "not here" that was out of date decides only once it is checked.
    for (const miss of beingChecked ?? []) {
      const credential = await miss.lookup;
      if (credential) return credential;
    }
    throw new GatewayError('CREDENTIAL_NOT_FOUND', `No ${request.provider} credential is available for this caller`, {
      provider: request.provider,
    });
  }

  /** Forgets cached keys for this caller and provider, so the next call fetches afresh. */
  invalidate(request: CredentialRequest): void {
    for (const source of this.sources) source.invalidate?.(request);
  }
}
