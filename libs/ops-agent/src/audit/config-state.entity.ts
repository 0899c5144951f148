import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last config snapshot reported to Opstage, so drift is detected across restarts too. */
@Entity({ name: 'ops_config_state' })
export class ConfigStateEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** key → preview (secrets as fingerprints). */
  @Column({ type: 'jsonb' })
  snapshot: Record<string, string | null>;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ name: 'last_drift_at', type: 'timestamptz', nullable: true })
  lastDriftAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
