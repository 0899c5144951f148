import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { CREDENTIAL_SOURCES } from './credential-sources.token.js';
import type { CredentialRequest, CredentialSource, ResolvedCredential } from './credential-source.js';

/** Resolves a caller's provider key by asking each enabled source in the configured order. */
@Injectable()
export class CredentialResolver {
  constructor(@Inject(CREDENTIAL_SOURCES) private readonly sources: CredentialSource[]) {}

  async resolve(request: CredentialRequest): Promise<ResolvedCredential> {
    const credential = (await this.firstAnswer(request)) ?? (await this.afterRechecks(request));
    if (credential) return credential;
    throw new GatewayError('CREDENTIAL_NOT_FOUND', `No ${request.provider} credential is available for this caller`, {
      provider: request.provider,
    });
  }

  private async firstAnswer(request: CredentialRequest): Promise<ResolvedCredential | null> {
    for (const source of this.sources) {
      const credential = await source.resolve(request);
      if (credential) return credential;
    }
    return null;
  }

  /**
   * A source may have said "none" from memory while asking again in the background (Identity's
   * "no key here" past its TTL): before the caller is told no key exists, those lookups are awaited
   * and every source asked once more, so a key added meanwhile is found. A failed lookup leaves the
   * answer as it was.
   */
  private async afterRechecks(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const rechecks = this.sources.map((source) => source.recheck?.(request)).filter((recheck) => recheck !== undefined);
    if (rechecks.length === 0) return null;
    await Promise.allSettled(rechecks);
    return this.firstAnswer(request);
  }

  /** Forgets cached keys for this caller and provider, so the next call fetches afresh. */
  invalidate(request: CredentialRequest): void {
    for (const source of this.sources) source.invalidate?.(request);
  }
}
