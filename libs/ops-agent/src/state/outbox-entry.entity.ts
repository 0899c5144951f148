import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommandResult } from '../opstage/opstage-contract.js';

/** A command result Opstage has not acknowledged yet (results never hold secrets: fingerprints only). */
@Entity({ name: 'ops_result_outbox' })
export class OutboxEntryEntity {
  @PrimaryColumn({ name: 'command_id', type: 'varchar', length: 128 })
  commandId: string;

  @Column({ name: 'service_code', type: 'varchar', length: 80 })
  serviceCode: string;

  @Column({ type: 'jsonb' })
  result: CommandResult;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
