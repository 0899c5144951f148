import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { CLOCK, GatewayError, SingleFlight, TtlCache, sha256Hex, type Clock } from '@app/common';
import { CredentialResolver, credentialRequestKey, type CredentialRequest } from '@app/credentials';
import type { ProviderAdapter } from '@app/providers';

/** Whether a caller could call a provider now, as /capabilities reports it (never the key itself). */
export interface CredentialCheck {
  hasCredential: boolean;
  credentialSource: 'personal' | 'org-wide' | 'none';
  /** Why not, when it could not be checked (a key source down): the provider is then reported unavailable. */
  problem?: string;
  /** For listing the models this key can call; memory only, never in an answer. */
  apiKey?: string;
}

/** Answers are kept this long, so a page asking /capabilities repeatedly does not ask Identity each time. */
const CHECK_TTL_MS = 30_000;

/**
 * The credential chain execute uses (Identity, vault, environment), asked once per caller and
 * provider at a time and remembered briefly, found or not.
 */
@Injectable()
export class CredentialChecks {
  private readonly cache: TtlCache<string, CredentialCheck>;
  private readonly flights = new SingleFlight<string, CredentialCheck>();

  constructor(
    private readonly credentials: CredentialResolver,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.cache = new TtlCache(10_000, clock);
  }

  check(caller: Caller, adapter: ProviderAdapter): Promise<CredentialCheck> {
    if (!adapter.requiresCredential) return Promise.resolve({ hasCredential: true, credentialSource: 'none' });
    const request: CredentialRequest = {
      userId: caller.userId,
      orgId: caller.orgId,
      provider: adapter.name,
      bearerToken: caller.bearerToken,
    };
    // The token is part of the key: Identity answers per token, and one caller's answer is never another's.
    const key = `${credentialRequestKey(request)}:${sha256Hex(caller.bearerToken ?? '')}`;
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    return this.flights.run(key, async () => {
      const check = await this.resolve(request);
      if (check.problem === undefined) this.cache.set(key, check, CHECK_TTL_MS);
      return check;
    });
  }

  private async resolve(request: CredentialRequest): Promise<CredentialCheck> {
    try {
      const credential = await this.credentials.resolve(request);
      return {
        hasCredential: true,
        credentialSource: credential.isProxy || credential.source === 'environment' ? 'org-wide' : 'personal',
        apiKey: credential.apiKey,
      };
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'CREDENTIAL_NOT_FOUND') return { hasCredential: false, credentialSource: 'none' };
      return {
        hasCredential: false,
        credentialSource: 'none',
        problem: error instanceof GatewayError ? error.message : 'The credential sources could not be asked',
      };
    }
  }
}
