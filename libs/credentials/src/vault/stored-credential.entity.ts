import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** user: one user's key; org: shared by an organization; service: the gateway's own (rotated via Opstage). */
export type CredentialScope = 'user' | 'org' | 'service';

/** A provider key in the local vault, encrypted at rest. The plaintext never touches this table. */
@Entity({ name: 'stored_credentials' })
@Unique('uq_stored_credentials_owner_provider', ['scope', 'ownerId', 'provider'])
export class StoredCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Whose key: one user's, or shared by an organization. */
  @Column({ type: 'varchar', length: 8 })
  scope: CredentialScope;

  @Column({ name: 'owner_id', type: 'varchar', length: 128 })
  ownerId: string;

  @Column({ type: 'varchar', length: 64 })
  provider: string;

  /** `ivHex:authTagHex:cipherHex` (AES-256-GCM). */
  @Column({ name: 'encrypted_key', type: 'text' })
  encryptedKey: string;

  /** Display only, e.g. `sk-…abcd`. */
  @Column({ type: 'varchar', length: 32 })
  fingerprint: string;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** The key this one replaced, kept encrypted for rollback until `previousValidUntil`. */
  @Column({ name: 'previous_encrypted_key', type: 'text', nullable: true })
  previousEncryptedKey: string | null;

  @Column({ name: 'previous_fingerprint', type: 'varchar', length: 32, nullable: true })
  previousFingerprint: string | null;

  @Column({ name: 'previous_valid_until', type: 'timestamptz', nullable: true })
  previousValidUntil: Date | null;

  /** Service keys: where the operator's rotation took the key from (`env:NAME`, `file:/path`), never the key. */
  @Column({ name: 'secret_ref', type: 'varchar', length: 300, nullable: true })
  secretRef: string | null;
}
