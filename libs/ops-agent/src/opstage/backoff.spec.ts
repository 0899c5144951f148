import { describe, expect, it } from '@jest/globals';
import { backoffMs, MAX_BACKOFF_MS } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from the interval', () => {
    expect(backoffMs(1000, 1, () => 0.5)).toBe(2000);
    expect(backoffMs(1000, 3, () => 0.5)).toBe(8000);
  });

  it('never waits past a confirmed command’s 60 s expiry, jitter included', () => {
    for (let failures = 0; failures < 50; failures++) {
      expect(backoffMs(5000, failures, () => 1)).toBeLessThanOrEqual(MAX_BACKOFF_MS * 1.2);
    }
    expect(MAX_BACKOFF_MS * 1.2).toBeLessThan(30_000);
  });
});
