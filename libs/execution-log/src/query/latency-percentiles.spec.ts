import { describe, expect, it } from '@jest/globals';
import { percentileFromBuckets } from './latency-percentiles.js';

const BOUNDS = [100, 250, 500];

describe('percentileFromBuckets', () => {
  it('interpolates inside the bucket the rank falls in', () => {
    // 10 calls ≤ 100 ms, 10 in (100, 250]: the median is the top of the first bucket, p75 half-way up the second.
    expect(percentileFromBuckets(BOUNDS, [10, 10, 0], 0, 240, 0.5)).toBe(100);
    expect(percentileFromBuckets(BOUNDS, [10, 10, 0], 0, 240, 0.75)).toBeCloseTo(170, 6);
  });

  it('never reports more than the slowest call seen', () => {
    expect(percentileFromBuckets(BOUNDS, [0, 0, 4], 0, 300, 0.99)).toBeLessThanOrEqual(300);
  });

  it('ends the overflow bucket at the slowest call', () => {
    expect(percentileFromBuckets(BOUNDS, [1, 0, 0], 1, 2500, 1)).toBe(2500);
    expect(percentileFromBuckets(BOUNDS, [1, 0, 0], 1, 2500, 0.75)).toBe(1500);
  });

  it('is null without calls', () => {
    expect(percentileFromBuckets(BOUNDS, [0, 0, 0], 0, 0, 0.5)).toBeNull();
  });
});
