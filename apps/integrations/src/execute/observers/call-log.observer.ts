import { Injectable } from '@nestjs/common';
import { CallLogger } from '../../logging/call-logger.js';
import type { Attempt } from '../attempt.js';
import type { AttemptObserver } from '../attempt-observer.js';

/** One structured log line per attempt. */
@Injectable()
export class CallLogObserver implements AttemptObserver {
  constructor(private readonly callLogger: CallLogger) {}

  observe(attempt: Attempt, outcome: string): void {
    const { caller, success } = attempt;
    this.callLogger.log(
      {
        requestId: attempt.requestId,
        userId: caller.userId,
        orgId: caller.orgId,
        provider: attempt.provider,
        operation: attempt.operation,
        model: attempt.model,
        outcome,
        durationMs: Math.round(attempt.durationMs * 100) / 100,
        upstreamLatencyMs: success?.upstreamLatencyMs,
        totalTokens: success?.usage.totalTokens,
        credentialSource: attempt.credential?.source,
        ...(attempt.trace && { trace_id: attempt.trace.traceId, span_id: attempt.trace.spanId }),
      },
      attempt.params,
    );
  }
}
