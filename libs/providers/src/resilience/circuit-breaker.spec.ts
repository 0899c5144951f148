import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@app/common';
import type { ResilienceConfig } from './resilience.config.js';
import { CircuitBreaker } from './circuit-breaker.js';

const COOLDOWN_MS = 1000;
const DEADLINE_MS = 5000;

function breaker() {
  let now = 1_000_000;
  const config = { circuit: { failureRate: 0.5, minCalls: 2, windowMs: 10_000, cooldownMs: COOLDOWN_MS } } as ResilienceConfig;
  const circuit = new CircuitBreaker(config, () => now);
  return { circuit, advance: (ms: number) => (now += ms) };
}

const upstreamDown = new GatewayError('PROVIDER_UNAVAILABLE', 'down', { provider: 'p' });

/** Opens `p`'s circuit and waits out the cool-down, so the next admit is the one trial. */
function halfOpen() {
  const subject = breaker();
  for (let call = 0; call < 2; call++) {
    subject.circuit.admit('p', DEADLINE_MS);
    subject.circuit.record('p', upstreamDown);
  }
  expect(subject.circuit.state('p')).toBe('open');
  expect(() => subject.circuit.admit('p', DEADLINE_MS)).toThrow(GatewayError);
  subject.advance(COOLDOWN_MS);
  expect(subject.circuit.state('p')).toBe('half_open');
  return subject;
}

describe('CircuitBreaker', () => {
  it('lets one trial through after the cool-down; its success closes the circuit', () => {
    const { circuit } = halfOpen();
    circuit.admit('p', DEADLINE_MS);
    expect(() => circuit.admit('p', DEADLINE_MS)).toThrow(/circuit open/);
    circuit.record('p');
    expect(circuit.state('p')).toBe('closed');
    expect(() => circuit.admit('p', DEADLINE_MS)).not.toThrow();
  });

  it('opens again when the trial fails', () => {
    const { circuit } = halfOpen();
    circuit.admit('p', DEADLINE_MS);
    circuit.record('p', upstreamDown);
    expect(circuit.state('p')).toBe('open');
  });

  it('a released (cancelled) trial frees the slot at once and decides nothing', () => {
    const { circuit } = halfOpen();
    circuit.admit('p', DEADLINE_MS);
    circuit.release('p');
    expect(circuit.state('p')).toBe('half_open');
    expect(() => circuit.admit('p', DEADLINE_MS)).not.toThrow();
  });

  it('a trial nobody reports on frees its slot once its deadline has passed', () => {
    const { circuit, advance } = halfOpen();
    circuit.admit('p', DEADLINE_MS);
    advance(DEADLINE_MS - 1);
    expect(() => circuit.admit('p', DEADLINE_MS)).toThrow(/circuit open/);
    advance(1);
    expect(() => circuit.admit('p', DEADLINE_MS)).not.toThrow();
  });

  it('counts only provider-side failures: a bad request or our own error does not open it', () => {
    const { circuit } = breaker();
    for (let call = 0; call < 10; call++) {
      circuit.admit('p', DEADLINE_MS);
      circuit.record('p', new GatewayError(call % 2 ? 'PROVIDER_BAD_REQUEST' : 'INTERNAL_ERROR', 'x'));
    }
    expect(circuit.state('p')).toBe('closed');
  });
});
