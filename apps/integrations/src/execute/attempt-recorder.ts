import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayError, redactSecrets } from '@app/common';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { Attempt } from './attempt.js';
import { ATTEMPT_OBSERVERS, type AttemptObserver } from './attempt-observer.js';

/**
 * Hands each finished attempt to every observer. One failing observer (a bug) neither stops the
 * others nor reaches the caller, and never rejects: streams record where nobody awaits the outcome.
 */
@Injectable()
export class AttemptRecorder {
  private readonly logger = new Logger('AttemptRecorder');

  constructor(
    @Inject(ATTEMPT_OBSERVERS) private readonly observers: AttemptObserver[],
    private readonly metrics: GatewayMetrics,
  ) {}

  record(attempt: Attempt): void {
    const outcome = attempt.success ? 'success' : attempt.error instanceof GatewayError ? attempt.error.code : 'INTERNAL_ERROR';
    for (const observer of this.observers) {
      try {
        observer.observe(attempt, outcome);
      } catch (error) {
        this.metrics.countInternalError('observer');
        this.logger.error(
          `Recording attempt ${attempt.requestId} failed: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
        );
      }
    }
  }
}
