import { describe, expect, it } from '@jest/globals';
import { parseRetryAfterMs } from './retry-after.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');

  it.each([
    [{ 'retry-after': '20' }, 20_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1500', 'retry-after': '20' }, 1500],
    [{ 'retry-after': 'Sun, 22 Nov 2026 10:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Sun, 22 Nov 2026 09:00:00 GMT' }, 0],
  ])('reads %j as %i ms', (headers, expected) => {
    expect(parseRetryAfterMs(headers, now)).toBe(expected);
  });

  it.each([[{}], [{ 'retry-after': '' }], [{ 'retry-after': 'soon' }], [{ 'retry-after': '-5' }]])('gives undefined for %j', (headers) => {
    expect(parseRetryAfterMs(headers, now)).toBeUndefined();
  });
});
