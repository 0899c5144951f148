import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, GatewayError, type Clock } from '@app/common';
import { resilienceConfig, type ResilienceConfig } from './resilience.config.js';

/** Upstream answers worth repeating unchanged: rate limits, 5xx/529, refused or reset connections. */
const RETRYABLE = new Set(['PROVIDER_RATE_LIMITED', 'PROVIDER_UNAVAILABLE']);

/**
 * Exponential backoff with full jitter, honouring the upstream's Retry-After, bounded by attempts
 * and by a total deadline. Never used once a response has started streaming to the caller.
 */
@Injectable()
export class RetryPolicy {
  private readonly settings: ResilienceConfig['retry'];
  /** The clock the deadline is kept on: callers take a call's start from it too. */
  readonly now: Clock;

  constructor(@Inject(resilienceConfig.token) config: ResilienceConfig, @Optional() @Inject(CLOCK) clock?: Clock) {
    this.settings = config.retry;
    this.now = clock ?? Date.now;
  }

  /**
   * Milliseconds to wait before attempt `attempt + 1`, or undefined when the call must not be retried.
   * `maxAttempts` is the caller's own limit (x-gateway-max-attempts, or 1 when its SDK retries), never
   * above RETRY_MAX_ATTEMPTS.
   */
  delayBeforeRetry(error: unknown, attempt: number, startedAt: number, maxAttempts = this.settings.maxAttempts): number | undefined {
    if (attempt >= Math.min(maxAttempts, this.settings.maxAttempts)) return undefined;
    if (!(error instanceof GatewayError) || !RETRYABLE.has(error.code) || error.metadata?.circuit === 'open') return undefined;
    const backoff = Math.random() * Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.max(error.retryAfterMs ?? 0, backoff);
    if (delay > this.settings.maxDelayMs) return undefined; // the upstream asks for a longer wait than we would hold a caller
    if (this.now() + delay - startedAt > this.settings.deadlineMs) return undefined;
    return Math.round(delay);
  }
}
