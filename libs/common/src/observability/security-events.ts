import { Injectable, Logger } from '@nestjs/common';
import { ThrottledWarning } from '../logging/throttled-warning.js';

/** How often each kind of authentication failure may be logged (with a count of those since the last line). */
const LOG_INTERVAL_MS = 10_000;

/**
 * Authentication failures, counted by reason and logged at most once per interval each, never with
 * token material: a wave of refused tokens (an expired service token, Identity down, someone
 * probing) must be visible without flooding the logs. Read by the metrics (`gateway_auth_failures_total`).
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('Auth');
  private readonly counts = new Map<string, number>();
  private readonly warnings = new Map<string, ThrottledWarning>();

  /** `reason` is a fixed word (missing_token, invalid_token, identity_timeout, …); `detail` says more, without secrets. */
  authFailure(reason: string, detail: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    let warning = this.warnings.get(reason);
    if (!warning) {
      warning = new ThrottledWarning((message) => this.logger.warn(message), LOG_INTERVAL_MS);
      this.warnings.set(reason, warning);
    }
    warning.note((count) => `Authentication failed (${reason}): ${detail} [${count} since start]`);
  }

  authFailureCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }
}
