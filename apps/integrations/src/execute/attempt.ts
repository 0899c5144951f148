import type { Caller } from '@app/auth';
import type { ResolvedCredential } from '@app/credentials';
import type { NormalizedUsage } from '@app/normalization';
import type { CallTrace } from '../tracing/tracing.js';

/** What a successful attempt reports: usage and model, whatever the operation answered. */
export interface AttemptSuccess {
  model: string;
  usage: NormalizedUsage;
  /** Estimated USD from the pricing table; null for unpriced models. */
  costUsd: number | null;
  /** Time waiting on the upstream (a stream's: to its first byte). */
  upstreamLatencyMs?: number;
  streamed: boolean;
  finishReason?: string;
  /** Upstream attempts it took (retries). */
  upstreamAttempts?: number;
}

/**
 * One provider attempt (or one call refused before any), as every output sees it: the call log
 * line, the metrics and the execution-log row are each an AttemptObserver reading this.
 */
export class Attempt {
  readonly startedAt = new Date();
  readonly startedAtMs = performance.now();
  credential?: ResolvedCredential;
  success?: AttemptSuccess;
  error?: unknown;
  /** Answered from the response cache: no credential, no upstream call, no cost. */
  cached = false;

  constructor(
    readonly caller: Caller,
    readonly provider: string,
    readonly operation: string,
    readonly requestId: string,
    /** The model asked for; the one that answered once known. */
    public model: string | null,
    /** The caller's params: only ever logged with LOG_MESSAGE_CONTENT=true. */
    readonly params?: unknown,
    /** The call's trace, when tracing is on. */
    readonly trace?: CallTrace,
  ) {}

  succeeded(success: AttemptSuccess): void {
    this.success = success;
    this.model = success.model;
  }

  failed(error: unknown): void {
    this.error = error;
  }

  get durationMs(): number {
    return performance.now() - this.startedAtMs;
  }
}
