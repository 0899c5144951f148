import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GatewayError, keyFingerprint } from '@app/common';
import { StoredCredentialEntity, type CredentialScope } from './stored-credential.entity.js';
import type { VaultCipher } from './vault-cipher.js';
import { VAULT_CIPHER } from './vault-cipher.provider.js';
import { VaultKeyCheckEntity } from './vault-key-check.entity.js';

const KEY_CHECK_PLAINTEXT = 'integrations-vault-key-check-v1';
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/** What listing shows of a stored key: never the key. */
export interface StoredCredentialSummary {
  provider: string;
  scope: CredentialScope;
  ownerId: string;
  fingerprint: string;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/**
 * The local encrypted vault (standalone mode and development fallback). Active only when
 * CREDENTIAL_ENCRYPTION_KEY is set; refuses to boot if that key is not the one the vault was
 * written with.
 */
@Injectable()
export class CredentialVault implements OnModuleInit {
  private readonly cipher?: VaultCipher;
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    @InjectRepository(StoredCredentialEntity) private readonly credentials: Repository<StoredCredentialEntity>,
    @InjectRepository(VaultKeyCheckEntity) private readonly keyChecks: Repository<VaultKeyCheckEntity>,
    @Inject(VAULT_CIPHER) cipher: VaultCipher | null,
  ) {
    this.cipher = cipher ?? undefined;
  }

  get enabled(): boolean {
    return this.cipher !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (!this.cipher) return;
    const check = await this.keyChecks.findOneBy({ id: 1 });
    if (!check) {
      await this.keyChecks.insert({ id: 1, checkValue: this.cipher.encrypt(KEY_CHECK_PLAINTEXT), createdAt: new Date() });
      return;
    }
    let matches: boolean;
    try {
      matches = this.cipher.decrypt(check.checkValue) === KEY_CHECK_PLAINTEXT;
    } catch {
      matches = false;
    }
    if (!matches) {
      throw new Error('CREDENTIAL_ENCRYPTION_KEY is not the key this credential vault was encrypted with; refusing to start');
    }
  }

  async put(
    scope: CredentialScope,
    ownerId: string,
    provider: string,
    apiKey: string,
    createdBy: string,
  ): Promise<StoredCredentialSummary> {
    const cipher = this.requireCipher();
    const now = new Date();
    await this.credentials.upsert(
      {
        scope,
        ownerId,
        provider,
        encryptedKey: cipher.encrypt(apiKey),
        fingerprint: keyFingerprint(apiKey),
        createdBy,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
      },
      { conflictPaths: ['scope', 'ownerId', 'provider'], skipUpdateIfNoValuesChanged: false },
    );
    const stored = await this.credentials.findOneByOrFail({ scope, ownerId, provider });
    return summarize(stored);
  }

  async list(owners: Array<{ scope: CredentialScope; ownerId: string }>): Promise<StoredCredentialSummary[]> {
    this.requireCipher();
    if (owners.length === 0) return [];
    const rows = await this.credentials.find({ where: owners, order: { scope: 'DESC', provider: 'ASC' } });
    return rows.map(summarize);
  }

  /** True when a key was deleted. */
  async delete(scope: CredentialScope, ownerId: string, provider: string): Promise<boolean> {
    this.requireCipher();
    const result = await this.credentials.delete({ scope, ownerId, provider });
    return (result.affected ?? 0) > 0;
  }

  /** The decrypted key for exactly this owner and provider, or null. */
  async find(scope: CredentialScope, ownerId: string, provider: string): Promise<{ id: string; apiKey: string } | null> {
    if (!this.cipher) return null;
    const stored = await this.credentials.findOneBy({ scope, ownerId, provider });
    if (!stored) return null;
    this.touch(stored.id);
    return { id: stored.id, apiKey: this.cipher.decrypt(stored.encryptedKey) };
  }

  /** The vault's change counter: it moves whenever any stored key is added, removed or changed. */
  async generation(): Promise<string> {
    const [row] = await this.credentials.query<Array<{ generation: string }>>(`SELECT "generation" FROM "vault_generation" WHERE "id" = 1`);
    return String(row?.generation ?? '');
  }

  /** Records use at most once a minute per key, off the request path. */
  touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWrites.get(id) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWrites.set(id, now);
    this.credentials.update({ id }, { lastUsedAt: new Date(now) }).catch(() => this.lastUsedWrites.delete(id));
  }

  requireCipher(): VaultCipher {
    if (!this.cipher)
      throw new GatewayError('VAULT_DISABLED', 'The local credential vault is off: set CREDENTIAL_ENCRYPTION_KEY to enable it');
    return this.cipher;
  }
}

function summarize(stored: StoredCredentialEntity): StoredCredentialSummary {
  return {
    provider: stored.provider,
    scope: stored.scope,
    ownerId: stored.ownerId,
    fingerprint: stored.fingerprint,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    lastUsedAt: stored.lastUsedAt,
  };
}
