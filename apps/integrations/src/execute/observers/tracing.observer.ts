import { Injectable } from '@nestjs/common';
import { Tracing } from '../../tracing/tracing.js';
import type { Attempt } from '../attempt.js';
import type { AttemptObserver } from '../attempt-observer.js';

/** One span per attempt, under its call's span (when tracing is on): GenAI attributes, never content or keys. */
@Injectable()
export class TracingObserver implements AttemptObserver {
  constructor(private readonly tracing: Tracing) {}

  observe(attempt: Attempt, outcome: string): void {
    if (!attempt.trace) return;
    const { success } = attempt;
    this.tracing.attemptSpan(attempt.trace, {
      provider: attempt.provider,
      operation: attempt.operation,
      model: attempt.model,
      startedAt: attempt.startedAt,
      usage: success?.usage,
      finishReason: success?.finishReason,
      upstreamAttempts: success?.upstreamAttempts,
      cached: attempt.cached,
      errorCode: success ? undefined : outcome,
    });
  }
}
