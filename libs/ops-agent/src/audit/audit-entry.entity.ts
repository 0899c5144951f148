import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditKind = 'action' | 'key_rotation' | 'config_drift';

/** One operator action, key rotation or detected config drift. Payloads never hold secrets. */
@Entity({ name: 'ops_audit_entries' })
@Index('idx_ops_audit_created', ['createdAt'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 24 })
  kind: AuditKind;

  @Column({ name: 'command_id', type: 'varchar', length: 128, nullable: true })
  commandId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  action: string | null;

  @Column({ name: 'operator_id', type: 'varchar', length: 128, nullable: true })
  operatorId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
