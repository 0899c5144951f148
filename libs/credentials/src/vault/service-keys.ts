import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GatewayError, keyFingerprint, TtlCache } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CredentialVault } from './credential-vault.js';
import { StoredCredentialEntity } from './stored-credential.entity.js';

const SERVICE_OWNER = '*';
/** Other replicas see a rotation within this time; the rotating replica at once. */
const CACHE_TTL_MS = 30_000;

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
  lastKeyRotationAt: string | null;
  rotatedBy: string | null;
  previousFingerprint: string | null;
  rollbackAvailableUntil: string | null;
}

/**
 * The gateway's own key per provider (single-tenant calls, health checks). Starts as the environment
 * variable; an operator's rotation stores a new key in the encrypted vault, keeping the previous one
 * (encrypted) for rollback during a grace period.
 */
@Injectable()
export class ServiceKeys {
  private readonly cache = new TtlCache<string, ServiceKey | null>();
  private readonly environmentKeys = new Map<string, string>();

  constructor(
    @InjectRepository(StoredCredentialEntity) private readonly credentials: Repository<StoredCredentialEntity>,
    private readonly vault: CredentialVault,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    for (const [provider, providerConfig] of Object.entries(config.providers)) {
      if (providerConfig.apiKey) this.environmentKeys.set(provider, providerConfig.apiKey);
    }
    for (const custom of config.customProviders) if (custom.apiKey) this.environmentKeys.set(custom.name, custom.apiKey);
  }

  async current(provider: string): Promise<ServiceKey | null> {
    const cached = this.cache.get(provider);
    if (cached !== undefined) return cached;
    const stored = this.vault.enabled ? await this.row(provider) : null;
    const environmentKey = this.environmentKeys.get(provider);
    const key: ServiceKey | null = stored
      ? { apiKey: this.vault.requireCipher().decrypt(stored.encryptedKey), source: 'service' }
      : environmentKey
        ? { apiKey: environmentKey, source: 'environment' }
        : null;
    this.cache.set(provider, key, CACHE_TTL_MS);
    return key;
  }

  async state(provider: string): Promise<ServiceKeyState> {
    const stored = this.vault.enabled ? await this.row(provider) : null;
    const environmentKey = this.environmentKeys.get(provider);
    const rollbackOpen = stored?.previousValidUntil && stored.previousValidUntil.getTime() > Date.now();
    return {
      provider,
      source: stored ? 'service' : environmentKey ? 'environment' : null,
      fingerprint: stored ? stored.fingerprint : environmentKey ? keyFingerprint(environmentKey) : null,
      lastKeyRotationAt: stored ? stored.updatedAt.toISOString() : null,
      rotatedBy: stored?.createdBy ?? null,
      previousFingerprint: rollbackOpen ? stored!.previousFingerprint : null,
      rollbackAvailableUntil: rollbackOpen ? stored!.previousValidUntil!.toISOString() : null,
    };
  }

  /** Installs `apiKey`; the key it replaces stays available to `rollback` for `graceMs`. */
  async rotate(provider: string, apiKey: string, rotatedBy: string, graceMs: number): Promise<ServiceKeyState> {
    const cipher = this.vault.requireCipher();
    const previous = await this.current(provider);
    const now = new Date();
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
      },
      { conflictPaths: ['scope', 'ownerId', 'provider'], skipUpdateIfNoValuesChanged: false },
    );
    this.cache.delete(provider);
    return this.state(provider);
  }

  /** Puts the previous key back (the rotated-out one becomes the new "previous"). */
  async rollback(provider: string, rolledBackBy: string): Promise<ServiceKeyState> {
    const cipher = this.vault.requireCipher();
    const stored = await this.row(provider);
    if (!stored?.previousEncryptedKey || !stored.previousValidUntil || stored.previousValidUntil.getTime() <= Date.now()) {
      throw new GatewayError('NOT_FOUND', `No ${provider} key to roll back to (none kept, or its grace period ended)`);
    }
    await this.credentials.update(
      { id: stored.id },
      {
        encryptedKey: stored.previousEncryptedKey,
        fingerprint: stored.previousFingerprint ?? keyFingerprint(cipher.decrypt(stored.previousEncryptedKey)),
        previousEncryptedKey: stored.encryptedKey,
        previousFingerprint: stored.fingerprint,
        createdBy: rolledBackBy,
        updatedAt: new Date(),
      },
    );
    this.cache.delete(provider);
    return this.state(provider);
  }

  private row(provider: string): Promise<StoredCredentialEntity | null> {
    return this.credentials.findOneBy({ scope: 'service', ownerId: SERVICE_OWNER, provider });
  }
}
