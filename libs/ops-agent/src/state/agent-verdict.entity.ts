import { Column, Entity, PrimaryColumn } from 'typeorm';

/** enabled: Opstage accepts the agent; disabled: an operator disabled it; revoked: its tokens were refused. */
export type Verdict = 'enabled' | 'disabled' | 'revoked';

/** Opstage's last word on this service, so a refusal holds across restarts even while Opstage is unreachable. */
@Entity({ name: 'ops_agent_verdict' })
export class AgentVerdictEntity {
  @PrimaryColumn({ name: 'service_code', type: 'varchar', length: 80 })
  serviceCode: string;

  @Column({ type: 'varchar', length: 16 })
  verdict: Verdict;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}
