/** What the gateway knows about one finished execute call, handed to the writer. */
export interface ExecutionRecord {
  /** Set by the writer when queued (a caller may set it): makes a batch sent twice insert once. */
  id?: string;
  requestId: string;
  userId: string;
  orgId: string | null;
  provider: string;
  operation: string;
  model: string | null;
  durationMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  success: boolean;
  errorCode: string | null;
  /** Already redacted by the caller; truncated here to the column size. */
  errorMessage: string | null;
  credentialSource: string | null;
  credentialId: string | null;
  isProxy: boolean;
  /** Answered from the response cache (absent: false). */
  cached?: boolean;
  /** Time waiting on the provider for a whole (non-streamed) answer; absent when unknown. */
  upstreamMs?: number | null;
  createdAt: Date;
}
