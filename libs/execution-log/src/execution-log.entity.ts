import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** varchar lengths, shared with the writer, which fits values to them (the migrations spell them out). */
export const EXECUTION_LOG_TEXT_LENGTH = {
  requestId: 128,
  userId: 128,
  orgId: 128,
  provider: 64,
  operation: 64,
  model: 256,
  errorCode: 64,
  errorMessage: 1000,
  credentialSource: 16,
  credentialId: 128,
} as const;
const LENGTH = EXECUTION_LOG_TEXT_LENGTH;

/**
 * One row per execute call, success or failure. Holds metadata only: never message content, never a
 * key. Column lengths match the request validation; values from upstreams (model names, error text,
 * token counts) are fitted to them by the writer.
 */
@Entity({ name: 'execution_logs' })
@Index('idx_execution_logs_user_created', ['userId', 'createdAt'])
@Index('idx_execution_logs_org_created', ['orgId', 'createdAt'])
export class ExecutionLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'request_id', type: 'varchar', length: LENGTH.requestId })
  requestId: string;

  @Column({ name: 'user_id', type: 'varchar', length: LENGTH.userId })
  userId: string;

  @Column({ name: 'org_id', type: 'varchar', length: LENGTH.orgId, nullable: true })
  orgId: string | null;

  @Column({ type: 'varchar', length: LENGTH.provider })
  provider: string;

  @Column({ type: 'varchar', length: LENGTH.operation })
  operation: string;

  @Column({ type: 'varchar', length: LENGTH.model, nullable: true })
  model: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'prompt_tokens', type: 'integer', nullable: true })
  promptTokens: number | null;

  @Column({ name: 'completion_tokens', type: 'integer', nullable: true })
  completionTokens: number | null;

  @Column({ name: 'total_tokens', type: 'integer', nullable: true })
  totalTokens: number | null;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ name: 'error_code', type: 'varchar', length: LENGTH.errorCode, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'varchar', length: LENGTH.errorMessage, nullable: true })
  errorMessage: string | null;

  /** identity, vault or environment; null when no key was resolved. */
  @Column({ name: 'credential_source', type: 'varchar', length: LENGTH.credentialSource, nullable: true })
  credentialSource: string | null;

  @Column({ name: 'credential_id', type: 'varchar', length: LENGTH.credentialId, nullable: true })
  credentialId: string | null;

  /** The caller used an org-wide key owned by someone else. */
  @Column({ name: 'is_proxy', type: 'boolean', default: false })
  isProxy: boolean;

  /** Answered from the response cache: no upstream call, no cost. */
  @Column({ name: 'cached', type: 'boolean', default: false })
  cached: boolean;

  /** Time waiting on the provider for a whole (non-streamed) answer: the rest of durationMs is the gateway's. */
  @Column({ name: 'upstream_ms', type: 'integer', nullable: true })
  upstreamMs: number | null;

  /** When the call started (set by the gateway, not by the delayed batch insert). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
