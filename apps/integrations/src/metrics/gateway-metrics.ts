import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SecurityEvents } from '@app/common';
import { ExecutionLogWriter, type ExecutionLogWriterStats } from '@app/execution-log';
import { CircuitBreaker, ProviderRegistry } from '@app/providers';
import { ModelCatalog } from '@app/catalog';
import { COUNTER_STORE, type CounterStore } from '@app/limits';
import { GatheredHistogram, NestedTotals, gatheredCounter } from './call-figures.js';

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

export interface AttemptMeasurement {
  provider: string;
  operation: string;
  /** `success` or the error code. */
  outcome: string;
  durationMs: number;
  upstreamLatencyMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number | null;
}

/**
 * Prometheus metrics (GET /metrics): requests by provider, operation and outcome; upstream latency
 * and the gateway's own overhead (total minus upstream); tokens; estimated cost; circuit states;
 * execution-log queue depth and drops. One registry per app instance.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  // Per-call figures are gathered in plain maps and arrays and become series when scraped (call-figures.ts).
  private readonly requestTotals = new NestedTotals(3);
  private readonly tokenTotals = new NestedTotals(2);
  private readonly costTotals = new NestedTotals(1);
  private readonly upstreamLatency = new GatheredHistogram({
    name: 'gateway_upstream_latency_seconds',
    help: 'Time waiting on the upstream',
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly overhead = new GatheredHistogram({
    name: 'gateway_overhead_seconds',
    help: 'Time the gateway itself adds (total minus upstream)',
    labelNames: ['provider'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
    registers: [this.registry],
  });
  private readonly internalErrors = new Counter({
    name: 'gateway_internal_errors_total',
    help: 'Errors that escaped every handler (a bug), caught by the last-resort process handlers or the stream writer',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor(
    providers: ProviderRegistry,
    circuit: CircuitBreaker,
    executionLog: ExecutionLogWriter,
    security: SecurityEvents,
    catalog: ModelCatalog,
    @Inject(COUNTER_STORE) counters: CounterStore,
  ) {
    collectDefaultMetrics({ register: this.registry });
    gatheredCounter(
      {
        name: 'gateway_requests_total',
        help: 'Provider calls by outcome (success or error code)',
        labelNames: ['provider', 'operation', 'outcome'],
        registers: [this.registry],
      },
      this.requestTotals,
    );
    gatheredCounter(
      { name: 'gateway_tokens_total', help: 'Tokens used', labelNames: ['provider', 'kind'], registers: [this.registry] },
      this.tokenTotals,
    );
    gatheredCounter(
      { name: 'gateway_estimated_cost_usd_total', help: 'Estimated spend in USD', labelNames: ['provider'], registers: [this.registry] },
      this.costTotals,
    );
    new Counter({
      name: 'gateway_limit_admissions_total',
      help: 'Calls under rate limits or budgets by what admitted or refused them: the counter store (Redis or memory), or slots this replica leased ahead (lease)',
      labelNames: ['decided_by'],
      registers: [this.registry],
      collect() {
        this.reset();
        const { checked, leased } = counters.admissions();
        this.inc({ decided_by: 'store' }, checked);
        this.inc({ decided_by: 'lease' }, leased);
      },
    });
    new Counter({
      name: 'gateway_auth_failures_total',
      help: 'Refused callers by reason (missing_token, invalid_token, unknown_service_key, identity_timeout, identity_refused, identity_error, identity_service_token_rejected, …)',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        // Counted where they happen (SecurityEvents); copied here when scraped.
        this.reset();
        for (const [reason, count] of security.authFailureCounts()) this.inc({ reason }, count);
      },
    });
    new Gauge({
      name: 'gateway_circuit_state',
      help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
      registers: [this.registry],
      collect() {
        for (const name of providers.names()) this.set({ provider: name }, CIRCUIT_VALUE[circuit.state(name)]);
      },
    });
    new Counter({
      name: 'gateway_catalog_refreshes_total',
      help: 'Reads of the Catalog service by outcome (ok, unavailable, malformed, rate_limited)',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [outcome, count] of Object.entries(catalog.stats().refreshes)) this.inc({ outcome }, count);
      },
    });
    new Counter({
      name: 'gateway_catalog_skipped_entries_total',
      help: 'Catalog entries refused as malformed or unsafe',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(catalog.stats().skippedEntries);
      },
    });
    const writerGauge = (name: string, help: string, stat: keyof ExecutionLogWriterStats) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(executionLog.stats()[stat]);
        },
      });
    writerGauge('gateway_execution_log_queue_depth', 'Execution-log records waiting to be written', 'queued');
    writerGauge('gateway_execution_log_dropped', 'Execution-log records dropped because the queue was full (since start)', 'dropped');
    writerGauge(
      'gateway_execution_log_rejected',
      'Execution-log records the database refused even on their own, so not stored (since start)',
      'rejected',
    );
  }

  observe(attempt: AttemptMeasurement): void {
    const { provider } = attempt;
    this.requestTotals.add(1, provider, attempt.operation, attempt.outcome);
    if (attempt.upstreamLatencyMs !== undefined) {
      this.upstreamLatency.countsFor(provider).observe(attempt.upstreamLatencyMs / 1000);
      this.overhead.countsFor(provider).observe(Math.max(0, attempt.durationMs - attempt.upstreamLatencyMs) / 1000);
    }
    // Only real amounts: prom-client refuses a negative or non-finite increment when it is scraped.
    if (isAmount(attempt.promptTokens)) this.tokenTotals.add(attempt.promptTokens, provider, 'prompt');
    if (isAmount(attempt.completionTokens)) this.tokenTotals.add(attempt.completionTokens, provider, 'completion');
    if (isAmount(attempt.costUsd)) this.costTotals.add(attempt.costUsd, provider);
  }

  /** An error no handler caught: `kind` says where it was caught (unhandledRejection, uncaughtException, stream). */
  countInternalError(kind: string): void {
    this.internalErrors.inc({ kind });
  }

  private readonly cacheLookups = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Response cache lookups by result (hit, miss, error)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly cacheStoredBytes = new Counter({
    name: 'gateway_cache_stored_bytes_total',
    help: 'Bytes of answers written to the response cache',
    registers: [this.registry],
  });
  private readonly cacheSavedUsd = new Counter({
    name: 'gateway_cache_saved_usd_total',
    help: 'Estimated USD not spent thanks to response cache hits',
    registers: [this.registry],
  });

  countCacheLookup(result: 'hit' | 'miss' | 'error'): void {
    this.cacheLookups.inc({ result });
  }

  countCacheStored(bytes: number): void {
    this.cacheStoredBytes.inc(bytes);
  }

  countCacheSaved(usd: number): void {
    if (usd > 0) this.cacheSavedUsd.inc(usd);
  }
}

function isAmount(value: number | null | undefined): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value);
}
