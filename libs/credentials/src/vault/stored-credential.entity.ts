import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type CredentialScope = 'user' | 'org';

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
}
