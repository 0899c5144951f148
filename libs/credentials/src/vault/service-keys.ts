import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CLOCK, GatewayError, keyFingerprint, SingleFlight, ThrottledWarning, type Clock } from '@app/common';
import { ENVIRONMENT_KEYS, ProviderRegistry } from '@app/providers';
import { CredentialVault } from './credential-vault.js';
import { StoredCredentialEntity } from './stored-credential.entity.js';

const SERVICE_OWNER = '*';
/** Other replicas see a rotation within this time (plus one refresh); the rotating replica at once. */
const REFRESH_AFTER_MS = 30_000;
/** After a failed refresh (database unreachable), the next try comes this much later. */
const RETRY_AFTER_FAILURE_MS = 5_000;
/** At most one warning per this interval while the database is unreachable. */
const WARNING_INTERVAL_MS = 10_000;

export interface ServiceKey {
  apiKey: string;
  /** `service`: rotated into the vault by an operator; `environment`: the configured variable. */
  source: 'service' | 'environment';
}

/** What operators see of a service-level key: fingerprints and times, never the key. */
export interface ServiceKeyState {
  provider: string;
  source: 'service' | 'environment' | null;
  fingerprint: string | null;
  /**
   * Where the current rotated key came from (`env:NAME`, `file:/path`); null for the environment's
   * key. Not called secretRef here: Opstage blanks any result field whose name contains "secret".
   */
  keyRef: string | null;
  lastKeyRotationAt: string | null;
  rotatedBy: string | null;
  previousFingerprint: string | null;
  rollbackAvailableUntil: string | null;
}

/**
 * The gateway's own key per provider (single-tenant calls, health checks). Starts as the environment
 * variable; an operator's rotation stores a new key in the encrypted vault, keeping the previous one
 * (encrypted) for rollback during a grace period.
 *
 * With the vault on, the key lives in the database, yet calls must not depend on it being up: each
 * provider's last known key is served at once, and refreshed in the background once it is older
 * than REFRESH_AFTER_MS. While the database is unreachable the last known key keeps serving (a
 * warning every WARNING_INTERVAL_MS); only a provider never loaded since boot fails, with 503
 * DATABASE_UNAVAILABLE. Keys are loaded at boot, so that case is a database lost during boot.
 */
@Injectable()
export class ServiceKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger('ServiceKeys');
  private readonly known = new Map<string, { key: ServiceKey | null; refreshAt: number }>();
  private readonly loads = new SingleFlight<string, ServiceKey | null>();
  private readonly environmentKeys: ReadonlyMap<string, string>;
  private readonly providers: string[];
  private readonly now: Clock;
  private readonly outage: ThrottledWarning;

  constructor(
    @InjectRepository(StoredCredentialEntity) private readonly credentials: Repository<StoredCredentialEntity>,
    private readonly vault: CredentialVault,
    @Inject(ENVIRONMENT_KEYS) environmentKeys: ReadonlyMap<string, string>,
    registry: ProviderRegistry,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.environmentKeys = new Map(environmentKeys);
    this.providers = registry.names();
    this.now = clock ?? Date.now;
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.now);
  }

  /** Loads every provider's key while the database is surely up, so an outage later finds them known. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.vault.enabled) return;
    await Promise.all(this.providers.map((provider) => this.load(provider).catch(() => undefined)));
  }

  async current(provider: string): Promise<ServiceKey | null> {
    if (!this.vault.enabled) return this.environmentKey(provider);
    const known = this.known.get(provider);
    if (!known) return this.load(provider);
    if (known.refreshAt <= this.now()) void this.refresh(provider);
    return known.key;
  }

  private environmentKey(provider: string): ServiceKey | null {
    const apiKey = this.environmentKeys.get(provider);
    return apiKey ? { apiKey, source: 'environment' } : null;
  }

  /** Reads the key from the database (one read at a time per provider) and remembers it. */
  private load(provider: string): Promise<ServiceKey | null> {
    return this.loads.run(provider, async () => {
      let stored: StoredCredentialEntity | null;
      try {
        stored = await this.row(provider);
      } catch (error) {
        throw new GatewayError('DATABASE_UNAVAILABLE', `The ${provider} service key is kept in the database, which is unreachable`, {
          cause: error,
          retryAfterMs: RETRY_AFTER_FAILURE_MS,
        });
      }
      const key = stored
        ? { apiKey: this.vault.requireCipher().decrypt(stored.encryptedKey), source: 'service' as const }
        : this.environmentKey(provider);
      this.known.set(provider, { key, refreshAt: this.now() + REFRESH_AFTER_MS });
      return key;
    });
  }

  private async refresh(provider: string): Promise<void> {
    const known = this.known.get(provider);
    // Pushed back first, so the calls arriving while this refresh runs do not start more.
    if (known) known.refreshAt = this.now() + RETRY_AFTER_FAILURE_MS;
    try {
      await this.load(provider);
      const failed = this.outage.recover();
      if (failed > 0) this.logger.log(`The database answers again; service keys are current (${failed} refreshes had failed)`);
    } catch {
      this.outage.note((failed) => `The database is unreachable; serving the last known service keys (${failed} refreshes failed so far)`);
    }
  }

  async state(provider: string): Promise<ServiceKeyState> {
    const stored = this.vault.enabled ? await this.row(provider) : null;
    const environmentKey = this.environmentKeys.get(provider);
    const rollbackOpen = stored?.previousValidUntil && stored.previousValidUntil.getTime() > this.now();
    return {
      provider,
      source: stored ? 'service' : environmentKey ? 'environment' : null,
      fingerprint: stored ? stored.fingerprint : environmentKey ? keyFingerprint(environmentKey) : null,
      keyRef: stored?.secretRef ?? null,
      lastKeyRotationAt: stored ? stored.updatedAt.toISOString() : null,
      rotatedBy: stored?.createdBy ?? null,
      previousFingerprint: rollbackOpen ? stored.previousFingerprint : null,
      rollbackAvailableUntil: rollbackOpen ? stored.previousValidUntil!.toISOString() : null,
    };
  }

  /** Installs `apiKey` (taken from `secretRef`); the key it replaces stays available to `rollback` for `graceMs`. */
  async rotate(
    provider: string,
    apiKey: string,
    rotatedBy: string,
    graceMs: number,
    secretRef: string | null = null,
  ): Promise<ServiceKeyState> {
    const cipher = this.vault.requireCipher();
    const previous = await this.current(provider);
    const now = new Date(this.now());
    await this.credentials.upsert(
      {
        scope: 'service',
        ownerId: SERVICE_OWNER,
        provider,
        encryptedKey: cipher.encrypt(apiKey),
        fingerprint: keyFingerprint(apiKey),
        createdBy: rotatedBy,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        previousEncryptedKey: previous ? cipher.encrypt(previous.apiKey) : null,
        previousFingerprint: previous ? keyFingerprint(previous.apiKey) : null,
        previousValidUntil: previous ? new Date(now.getTime() + graceMs) : null,
        secretRef,
      },
      { conflictPaths: ['scope', 'ownerId', 'provider'], skipUpdateIfNoValuesChanged: false },
    );
    this.known.delete(provider);
    await this.load(provider);
    return this.state(provider);
  }

  /** Puts the previous key back (the rotated-out one becomes the new "previous"). */
  async rollback(provider: string, rolledBackBy: string): Promise<ServiceKeyState> {
    const cipher = this.vault.requireCipher();
    const stored = await this.row(provider);
    if (!stored?.previousEncryptedKey || !stored.previousValidUntil || stored.previousValidUntil.getTime() <= this.now()) {
      throw new GatewayError('NOT_FOUND', `No ${provider} key to roll back to (none kept, or its grace period ended)`);
    }
    await this.credentials.update(
      { id: stored.id },
      {
        encryptedKey: stored.previousEncryptedKey,
        fingerprint: stored.previousFingerprint ?? keyFingerprint(cipher.decrypt(stored.previousEncryptedKey)),
        previousEncryptedKey: stored.encryptedKey,
        previousFingerprint: stored.fingerprint,
        // The restored key's origin is not kept; say so rather than show the rotated-out key's ref.
        secretRef: null,
        createdBy: rolledBackBy,
        updatedAt: new Date(this.now()),
      },
    );
    this.known.delete(provider);
    await this.load(provider);
    return this.state(provider);
  }

  private row(provider: string): Promise<StoredCredentialEntity | null> {
    return this.credentials.findOneBy({ scope: 'service', ownerId: SERVICE_OWNER, provider });
  }
}
