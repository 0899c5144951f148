import { Injectable } from '@nestjs/common';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { Attempt } from '../attempt.js';
import type { AttemptObserver } from '../attempt-observer.js';

/** Requests, latency, overhead, tokens and cost in the Prometheus metrics. */
@Injectable()
export class MetricsObserver implements AttemptObserver {
  constructor(private readonly metrics: GatewayMetrics) {}

  observe(attempt: Attempt, outcome: string): void {
    const { success } = attempt;
    this.metrics.observe({
      provider: attempt.provider,
      operation: attempt.operation,
      outcome,
      durationMs: attempt.durationMs,
      // A stream's upstream latency is its time to first byte: no basis for an overhead figure.
      upstreamLatencyMs: success && !success.streamed ? success.upstreamLatencyMs : undefined,
      promptTokens: success?.usage.promptTokens,
      completionTokens: success?.usage.completionTokens,
      costUsd: success?.costUsd,
    });
  }
}
