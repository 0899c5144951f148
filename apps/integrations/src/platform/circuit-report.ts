import type { CircuitBreaker, CircuitReport } from '@app/providers';

/** One provider's circuit as the platform's callers read it (`half-open`, `lastFailure` ISO or "never"). */
export interface CircuitView {
  state: 'closed' | 'open' | 'half-open';
  failures: number;
  lastFailure: string;
}

export function circuitViews(circuit: CircuitBreaker, providers: readonly string[]): Record<string, CircuitView> {
  return Object.fromEntries(providers.map((provider) => [provider, circuitView(circuit.report(provider))]));
}

function circuitView(report: CircuitReport): CircuitView {
  return {
    state: report.state === 'half_open' ? 'half-open' : report.state,
    failures: report.failures,
    lastFailure: report.lastFailureAt === null ? 'never' : new Date(report.lastFailureAt).toISOString(),
  };
}
