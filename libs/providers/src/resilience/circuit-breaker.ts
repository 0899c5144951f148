import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, GatewayError, type Clock } from '@app/common';
import { resilienceConfig, type ResilienceConfig } from './resilience.config.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** The window is kept as a ring of buckets, so recording an outcome costs the same at any call rate. */
const BUCKETS = 10;

interface Bucket {
  /** Which slice of time (now / bucket length) the counts belong to. */
  slice: number;
  calls: number;
  failures: number;
}

interface Circuit {
  state: CircuitState;
  buckets: Bucket[];
  openedAt: number;
  /** While half-open: when the one trial call's slot frees itself if nothing reported its outcome (0: none in flight). */
  trialExpiresAt: number;
  /** When a call last failed in a way that counts (0: never). */
  lastFailureAt: number;
}

/** What an operator sees of one circuit. */
export interface CircuitReport {
  state: CircuitState;
  /** Failures counted in the current window (since it last opened or closed). */
  failures: number;
  /** Epoch milliseconds of the last counted failure, or null. */
  lastFailureAt: number | null;
}

/** Failures that say the provider itself is unwell; 4xx answers prove it is up. */
const PROVIDER_FAILURES = new Set(['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_INVALID_RESPONSE']);

/**
 * One breaker per provider (so per custom base URL too). It opens when the failure rate over the
 * window crosses the threshold, refuses calls fast while open, then lets one trial call through after
 * the cool-down: success closes it, failure opens it again. Every admitted call must end in exactly
 * one `record` (it reached the upstream) or `release` (it never did, or the caller went away); a
 * trial nobody reports on frees its slot once its deadline has passed, so the circuit cannot stay
 * half-open for good.
 */
@Injectable()
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();
  private readonly settings: ResilienceConfig['circuit'];
  private readonly now: Clock;

  constructor(@Inject(resilienceConfig.token) config: ResilienceConfig, @Optional() @Inject(CLOCK) clock?: Clock) {
    this.settings = config.circuit;
    this.now = clock ?? Date.now;
  }

  /**
   * Throws 503 PROVIDER_UNAVAILABLE while the provider's circuit is open. `deadlineMs` is how long the
   * call may take: a half-open trial's slot is held no longer than that.
   */
  admit(provider: string, deadlineMs: number): void {
    const circuit = this.circuit(provider);
    if (circuit.state === 'closed') return;
    const now = this.now();
    if (circuit.state === 'open' && now - circuit.openedAt >= this.settings.cooldownMs) {
      circuit.state = 'half_open';
      circuit.trialExpiresAt = 0;
    }
    if (circuit.state === 'half_open' && circuit.trialExpiresAt <= now) {
      circuit.trialExpiresAt = now + deadlineMs;
      return;
    }
    throw new GatewayError(
      'PROVIDER_UNAVAILABLE',
      `${provider} is failing; calls are paused for up to ${Math.ceil(this.settings.cooldownMs / 1000)} s (circuit open)`,
      {
        provider,
        status: 503,
        retryAfterMs: Math.max(
          0,
          circuit.state === 'open' ? this.settings.cooldownMs - (now - circuit.openedAt) : circuit.trialExpiresAt - now,
        ),
        metadata: { circuit: 'open' },
      },
    );
  }

  /** An admitted call that says nothing about the provider (cancelled by its caller): it frees a trial slot, and counts for nothing. */
  release(provider: string): void {
    const circuit = this.circuits.get(provider);
    if (circuit?.state === 'half_open') circuit.trialExpiresAt = 0;
  }

  /** The outcome of an admitted call that reached the upstream: `error` undefined for a success. */
  record(provider: string, error?: unknown): void {
    const failed = error instanceof GatewayError && PROVIDER_FAILURES.has(error.code) && error.metadata?.circuit !== 'open';
    const circuit = this.circuit(provider);
    const now = this.now();
    if (failed) circuit.lastFailureAt = now;
    if (circuit.state === 'half_open') {
      circuit.trialExpiresAt = 0;
      if (failed) this.open(circuit, now);
      else this.close(circuit);
      return;
    }
    const slice = this.sliceAt(now);
    const bucket = circuit.buckets[slice % BUCKETS];
    if (bucket.slice !== slice) Object.assign(bucket, { slice, calls: 0, failures: 0 });
    bucket.calls++;
    if (failed) bucket.failures++;
    const { calls, failures } = windowTotals(circuit, slice);
    if (calls >= this.settings.minCalls && failures / calls >= this.settings.failureRate) this.open(circuit, now);
  }

  /** Closes the provider's circuit at once (an operator's resetCircuit). */
  reset(provider: string): void {
    this.close(this.circuit(provider));
    this.circuit(provider).trialExpiresAt = 0;
  }

  report(provider: string): CircuitReport {
    const circuit = this.circuit(provider);
    const { failures } = windowTotals(circuit, this.sliceAt(this.now()));
    return { state: this.state(provider), failures, lastFailureAt: circuit.lastFailureAt || null };
  }

  state(provider: string): CircuitState {
    const circuit = this.circuit(provider);
    // An open circuit past its cool-down is, to observers, ready for a trial.
    return circuit.state === 'open' && this.now() - circuit.openedAt >= this.settings.cooldownMs ? 'half_open' : circuit.state;
  }

  /** Which slice of time (bucket length: a tenth of the window) `now` falls in. */
  private sliceAt(now: number): number {
    return Math.floor(now / (this.settings.windowMs / BUCKETS));
  }

  private open(circuit: Circuit, now: number): void {
    circuit.state = 'open';
    circuit.openedAt = now;
    circuit.buckets = emptyBuckets();
  }

  private close(circuit: Circuit): void {
    circuit.state = 'closed';
    circuit.buckets = emptyBuckets();
  }

  private circuit(provider: string): Circuit {
    let circuit = this.circuits.get(provider);
    if (!circuit) {
      circuit = { state: 'closed', buckets: emptyBuckets(), openedAt: 0, trialExpiresAt: 0, lastFailureAt: 0 };
      this.circuits.set(provider, circuit);
    }
    return circuit;
  }
}

/** Calls and failures in the buckets still inside the window that ends at `slice`. */
function windowTotals(circuit: Circuit, slice: number): { calls: number; failures: number } {
  let calls = 0;
  let failures = 0;
  for (const bucket of circuit.buckets) {
    if (slice - bucket.slice < BUCKETS) {
      calls += bucket.calls;
      failures += bucket.failures;
    }
  }
  return { calls, failures };
}

function emptyBuckets(): Bucket[] {
  return Array.from({ length: BUCKETS }, () => ({ slice: -Infinity, calls: 0, failures: 0 }));
}
