import { Injectable } from '@nestjs/common';
import { GatewayError, redactSecrets } from '@app/common';
import { ExecutionLogWriter } from '@app/execution-log';
import type { Attempt } from '../attempt.js';
import type { AttemptObserver } from '../attempt-observer.js';

/** One execution-log row per attempt (queued; the writer batches off the request path). */
@Injectable()
export class ExecutionLogObserver implements AttemptObserver {
  constructor(private readonly executionLog: ExecutionLogWriter) {}

  observe(attempt: Attempt, outcome: string): void {
    const { caller, success, credential } = attempt;
    const failure = attempt.error instanceof GatewayError ? attempt.error : undefined;
    this.executionLog.record({
      requestId: attempt.requestId,
      userId: caller.userId,
      orgId: caller.orgId ?? null,
      provider: attempt.provider,
      operation: attempt.operation,
      model: attempt.model,
      durationMs: Math.round(attempt.durationMs),
      promptTokens: success?.usage.promptTokens ?? null,
      completionTokens: success?.usage.completionTokens ?? null,
      totalTokens: success?.usage.totalTokens ?? null,
      success: success !== undefined,
      errorCode: success ? null : outcome,
      // GatewayError messages are already redacted; never store an unexpected error's raw text.
      errorMessage: success ? null : failure ? redactSecrets(failure.message, credential ? [credential.apiKey] : []) : 'Internal error',
      credentialSource: credential?.source ?? null,
      credentialId: credential?.credentialId ?? null,
      isProxy: credential?.isProxy ?? false,
      cached: attempt.cached,
      // A stream's upstream latency is only to its first byte: its overhead would be meaningless.
      upstreamMs: success && !success.streamed && success.upstreamLatencyMs !== undefined ? Math.round(success.upstreamLatencyMs) : null,
      createdAt: attempt.startedAt,
    });
  }
}
