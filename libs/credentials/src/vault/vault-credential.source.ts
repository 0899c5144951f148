import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CLOCK, GatewayError, ThrottledWarning, TtlCache, withTimeout, type Clock } from '@app/common';
import { credentialRequestKey, type CredentialRequest, type CredentialSource, type ResolvedCredential } from '../credential-source.js';
import { credentialsConfig, type CredentialsConfig } from '../credentials.config.js';
import { CredentialVault } from './credential-vault.js';

/** How long a vault lookup may take before the database counts as unreachable for this call. */
const LOOKUP_TIMEOUT_MS = 1_000;
/** After a failed lookup, the database is not asked again for this long: calls go straight to what was last known. */
const PAUSE_AFTER_FAILURE_MS = 2_000;
/** How long a caller's last lookup result may stand in during an outage. */
const LAST_KNOWN_TTL_MS = 24 * 60 * 60 * 1000;
const WARNING_INTERVAL_MS = 10_000;

/** How long an answer may stay in memory while the vault's generation says nothing changed: bounds memory for idle callers. */
const RECENT_MAX_TTL_MS = 10 * 60 * 1000;

/**
 * The caller's own vault key, else their organization's shared key. Never anyone else's.
 *
 * Answers are kept in memory while nothing in the vault changes: at most once every
 * VAULT_CREDENTIAL_CACHE_TTL_MS (5 s by default; 0 looks up on every call) one call reads the
 * vault's generation (one row the database raises on every change to a stored key), and a new one
 * drops every answer held. So a key stored or deleted through this replica takes effect at once,
 * through another replica within that time, and the database sees one tiny read per interval
 * however many callers there are, instead of one lookup per caller. While the database does not answer (refused, or slower than LOOKUP_TIMEOUT_MS), the caller's last
 * known answer stands in, in memory only, and the database is left alone for PAUSE_AFTER_FAILURE_MS
 * so an outage costs calls no time; a caller with no known answer gets 503 DATABASE_UNAVAILABLE,
 * never another account's key.
 */
@Injectable()
export class VaultCredentialSource implements CredentialSource {
  readonly name = 'vault';
  private readonly logger = new Logger('VaultCredentialSource');
  private readonly lastKnown: TtlCache<string, ResolvedCredential | null>;
  /** Recent answers, served without asking the database (the cache of the TTL above). */
  private readonly recent: TtlCache<string, ResolvedCredential | null>;
  private readonly recentTtlMs: number;
  private readonly now: Clock;
  private readonly outage: ThrottledWarning;
  private pausedUntil = 0;
  /** The vault's generation when last read, when, and the read in flight (one at a time). */
  private generation: string | undefined;
  private generationReadAt = -Infinity;
  private generationRead: Promise<void> | null = null;

  constructor(
    private readonly vault: CredentialVault,
    @Inject(credentialsConfig.token) config: CredentialsConfig,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? Date.now;
    this.lastKnown = new TtlCache(10_000, this.now);
    this.recent = new TtlCache(10_000, this.now);
    this.recentTtlMs = config.vaultCacheTtlMs;
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.now);
  }

  async resolve(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const memoryKey = credentialRequestKey(request);
    if (this.recentTtlMs > 0 && this.now() - this.generationReadAt >= this.recentTtlMs && this.now() >= this.pausedUntil) {
      await this.readGeneration();
    }
    const recent = this.recent.get(memoryKey);
    if (recent !== undefined) {
      if (recent?.credentialId) this.vault.touch(recent.credentialId);
      return recent;
    }
    if (this.now() < this.pausedUntil) return this.fromMemory(memoryKey, request.provider);
    const generationAtStart = this.generation;
    let credential: ResolvedCredential | null;
    try {
      credential = await withTimeout(this.lookup(request), LOOKUP_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      this.pausedUntil = this.now() + PAUSE_AFTER_FAILURE_MS;
      return this.fromMemory(memoryKey, request.provider);
    }
    this.lastKnown.set(memoryKey, credential, LAST_KNOWN_TTL_MS);
    // A change seen while this lookup ran may have come after its read: such an answer is served once, not kept.
    if (this.generation === generationAtStart) this.recent.set(memoryKey, credential, RECENT_MAX_TTL_MS);
    const served = this.outage.recover();
    if (served > 0) this.logger.log(`The database answers again; ${served} vault lookups were answered from memory meanwhile`);
    return credential;
  }

  /** Reads the vault's generation; a new one drops every answer held. A failed read pauses lookups (an outage). */
  private readGeneration(): Promise<void> {
    this.generationRead ??= withTimeout(this.vault.generation(), LOOKUP_TIMEOUT_MS)
      .then(
        (generation) => {
          if (generation !== this.generation) this.recent.clear();
          this.generation = generation;
          this.generationReadAt = this.now();
        },
        () => {
          this.pausedUntil = this.now() + PAUSE_AFTER_FAILURE_MS;
        },
      )
      .finally(() => {
        this.generationRead = null;
      });
    return this.generationRead;
  }

  invalidate(request: CredentialRequest): void {
    this.lastKnown.delete(credentialRequestKey(request));
    this.recent.delete(credentialRequestKey(request));
  }

  private async lookup(request: CredentialRequest): Promise<ResolvedCredential | null> {
    const own = await this.vault.find('user', request.userId, request.provider);
    if (own) return { apiKey: own.apiKey, source: this.name, credentialId: own.id, isProxy: false };
    if (!request.orgId) return null;
    const shared = await this.vault.find('org', request.orgId, request.provider);
    return shared ? { apiKey: shared.apiKey, source: this.name, credentialId: shared.id, isProxy: true } : null;
  }

  private fromMemory(memoryKey: string, provider: string): ResolvedCredential | null {
    const known = this.lastKnown.get(memoryKey);
    this.outage.note((served) => `The database is unreachable; vault lookups answered from memory (${served} so far)`);
    if (known === undefined) {
      throw new GatewayError(
        'DATABASE_UNAVAILABLE',
        `The ${provider} vault key of this caller is kept in the database, which is unreachable`,
        { retryAfterMs: PAUSE_AFTER_FAILURE_MS },
      );
    }
    return known;
  }
}
