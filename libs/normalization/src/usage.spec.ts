import { describe, expect, it } from '@jest/globals';
import { normalizeUsage, tokenCount } from './usage.js';

describe('tokenCount', () => {
  it.each([0, 1, 12, Number.MAX_SAFE_INTEGER])('takes %p', (value) => {
    expect(tokenCount(value)).toBe(value);
  });

  it.each([-5, '12', 1.5, 1e300, Number.NaN, Infinity, null, undefined, {}, [3]])('treats %p as unknown', (value) => {
    expect(tokenCount(value)).toBeUndefined();
  });
});

describe('normalizeUsage', () => {
  it('sums a missing total and zeroes invalid counts', () => {
    expect(normalizeUsage(-5, '12')).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    expect(normalizeUsage(3, 4)).toEqual({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
    expect(normalizeUsage(3, 4, -1)).toEqual({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });
  });
});
