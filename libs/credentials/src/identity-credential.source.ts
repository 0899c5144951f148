import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, GatewayError, SecurityEvents, SingleFlight, TtlCache, refreshAheadDue, type Clock } from '@app/common';
import { credentialsConfig, type CredentialsConfig } from './credentials.config.js';
import { IdentityClient } from '@app/identity';
import {
  credentialRequestKey,
  MissBeingChecked,
  type CredentialRequest,
  type CredentialSource,
  type ResolvedCredential,
} from './credential-source.js';
import { IdentityServiceToken } from './identity-service-token.js';

/**
 * Keys held by the Identity service, fetched on demand. They stay in memory only, for a short TTL
 * (IDENTITY_CREDENTIAL_CACHE_TTL_MS, 0 = no cache), so an Identity outage is ridden out until the TTL
 * ends; after that calls fail with IDENTITY_UNAVAILABLE. Concurrent lookups for one key share a call.
 * "No key here" (404) is remembered too, for IDENTITY_CREDENTIAL_MISS_CACHE_TTL_MS: callers whose key
 * lives in the vault or the environment would otherwise cost an Identity round trip on every call.
 * Either answer, used in the last fifth of its TTL, is fetched again in the background while the
 * call goes on with it, so callers in steady use never wait on Identity. A key is never used past its
 * TTL. "No key here" past its TTL, until a key's TTL has passed too, lets the call go on to the next
 * source while Identity is asked again (MissBeingChecked): a caller whose key is in the vault and who
 * calls every half minute does not wait on Identity each time, and a key added to Identity meanwhile
 * is used from the next call (from this one if no other source has one: the resolver then waits for
 * the lookup, as the call would have before).
 */
@Injectable()
export class IdentityCredentialSource implements CredentialSource {
  readonly name = 'identity';
  private readonly cache: TtlCache<string, ResolvedCredential>;
  /** Callers Identity holds no key for, recently asked. */
  private readonly misses: TtlCache<string, true>;
  private readonly missTtlMs: number;
  /** How long "no key here" is kept: past missTtlMs it is only used while Identity is asked again. */
  private readonly missKeepMs: number;
  private readonly flights = new SingleFlight<string, ResolvedCredential | null>();
  private readonly ttlMs: number;
  private readonly serviceToken: IdentityServiceToken;

  constructor(
    private readonly identity: IdentityClient,
    private readonly events: SecurityEvents,
    @Inject(credentialsConfig.token) config: CredentialsConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.cache = new TtlCache(10_000, clock);
    this.misses = new TtlCache(10_000, clock);
    this.ttlMs = config.identityCacheTtlMs;
    this.missTtlMs = config.identityMissCacheTtlMs;
    this.missKeepMs = this.missTtlMs > 0 ? Math.max(this.missTtlMs, this.ttlMs) : 0;
    this.serviceToken = new IdentityServiceToken(config.identityServiceToken, config.identityServiceTokenFile, clock);
  }

  async resolve(request: CredentialRequest): Promise<ResolvedCredential | null | MissBeingChecked> {
    const ownToken = request.bearerToken === undefined;
    const bearerToken = request.bearerToken ?? this.serviceToken.current();
    if (!bearerToken) return null; // e.g. a service-key caller with no gateway token configured
    const key = credentialRequestKey(request);
    const load = () => this.flights.run(key, () => this.load(key, request, bearerToken, ownToken));
    // An answer in the last fifth of its TTL is checked ahead of time; a failure lets it run out.
    const cached = this.cache.entry(key);
    if (cached) {
      if (refreshAheadDue(cached.remainingMs, this.ttlMs)) void load().catch(() => undefined);
      return cached.value;
    }
    const missed = this.misses.entry(key);
    if (missed) {
      const missTtlLeftMs = missed.remainingMs - (this.missKeepMs - this.missTtlMs);
      if (missTtlLeftMs <= 0) return new MissBeingChecked(load());
      if (refreshAheadDue(missTtlLeftMs, this.missTtlMs)) void load().catch(() => undefined);
      return null;
    }
    return load();
  }

  /** Asks Identity, and remembers the answer: a key for ttlMs, "none here" for missTtlMs. */
  private async load(key: string, request: CredentialRequest, bearerToken: string, ownToken: boolean): Promise<ResolvedCredential | null> {
    const credential = await this.fetch(request, bearerToken, ownToken);
    if (!credential) {
      this.cache.delete(key);
      this.misses.set(key, true, this.missKeepMs);
      return null;
    }
    const resolved: ResolvedCredential = {
      apiKey: credential.apiKey,
      source: this.name,
      credentialId: credential.credentialId,
      isProxy: credential.isProxy,
    };
    this.misses.delete(key);
    this.cache.set(key, resolved, this.ttlMs);
    return resolved;
  }

  /**
   * A refusal of the caller's own token is the caller's 401; a refusal of the gateway's own token
   * (expired, rotated) is the gateway's problem: 503 IDENTITY_UNAVAILABLE, logged and counted.
   */
  private async fetch(request: CredentialRequest, bearerToken: string, ownToken: boolean) {
    try {
      return await this.identity.fetchCredential({ userId: request.userId, orgId: request.orgId, provider: request.provider, bearerToken });
    } catch (error) {
      if (!ownToken || !(error instanceof GatewayError) || error.code !== 'UNAUTHENTICATED') throw error;
      this.events.authFailure(
        'identity_service_token_rejected',
        "Identity refused the gateway's own token (IDENTITY_SERVICE_TOKEN or _FILE); lookups for service-key callers fail until it is replaced",
      );
      throw new GatewayError(
        'IDENTITY_UNAVAILABLE',
        "The Identity service refused the gateway's own token; key lookups for service callers are unavailable until it is replaced",
        {
          metadata: { reason: 'service_token_rejected' },
        },
      );
    }
  }

  invalidate(request: CredentialRequest): void {
    this.cache.delete(credentialRequestKey(request));
    this.misses.delete(credentialRequestKey(request));
  }
}
