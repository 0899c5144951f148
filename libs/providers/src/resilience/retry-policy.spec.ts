import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { GatewayError } from '@app/common';
import type { ResilienceConfig } from './resilience.config.js';
import { RetryPolicy } from './retry-policy.js';

const settings = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 5000 };

function policy(now = 0): RetryPolicy {
  return new RetryPolicy({ retry: settings } as ResilienceConfig, () => now);
}

const unavailable = new GatewayError('PROVIDER_UNAVAILABLE', 'down');

describe('RetryPolicy', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('backs off exponentially with full jitter', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(policy().delayBeforeRetry(unavailable, 1, 0)).toBe(50);
    expect(policy().delayBeforeRetry(unavailable, 2, 0)).toBe(100);
  });

  it('honours Retry-After over a shorter backoff, and gives up when it asks for longer than the gateway holds a caller', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    expect(policy().delayBeforeRetry(new GatewayError('PROVIDER_RATE_LIMITED', 'slow', { retryAfterMs: 700 }), 1, 0)).toBe(700);
    expect(policy().delayBeforeRetry(new GatewayError('PROVIDER_RATE_LIMITED', 'slow', { retryAfterMs: 5000 }), 1, 0)).toBeUndefined();
  });

  it('stops after the last attempt, past the deadline, and for anything not worth repeating', () => {
    expect(policy().delayBeforeRetry(unavailable, 3, 0)).toBeUndefined();
    expect(policy(4999).delayBeforeRetry(new GatewayError('PROVIDER_RATE_LIMITED', 'slow', { retryAfterMs: 10 }), 1, 0)).toBeUndefined();
    for (const code of ['PROVIDER_TIMEOUT', 'PROVIDER_AUTH_FAILED', 'PROVIDER_BAD_REQUEST', 'INTERNAL_ERROR', 'CANCELLED'] as const) {
      expect(policy().delayBeforeRetry(new GatewayError(code, 'x'), 1, 0)).toBeUndefined();
    }
    expect(
      policy().delayBeforeRetry(new GatewayError('PROVIDER_UNAVAILABLE', 'open', { metadata: { circuit: 'open' } }), 1, 0),
    ).toBeUndefined();
    expect(policy().delayBeforeRetry(new Error('bug'), 1, 0)).toBeUndefined();
  });
});
