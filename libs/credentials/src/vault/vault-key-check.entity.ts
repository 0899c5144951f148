import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row: a known value encrypted with the vault key, to detect a wrong key at boot. */
@Entity({ name: 'vault_key_check' })
export class VaultKeyCheckEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ name: 'check_value', type: 'text' })
  checkValue: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
