import { describe, expect, it } from '@jest/globals';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('is toISOString for times within a second, across seconds, before 1970 and past year 9999', () => {
    const times = [
      Date.UTC(2026, 11, 1, 7, 45, 12, 0),
      Date.UTC(2026, 11, 1, 7, 45, 12, 7),
      Date.UTC(2026, 11, 1, 7, 45, 12, 42),
      Date.UTC(2026, 11, 1, 7, 45, 12, 999),
      Date.UTC(2026, 11, 1, 7, 45, 13, 5),
      Date.UTC(2026, 11, 1, 7, 45, 12, 500), // back to an earlier second
      -1,
      -1001,
      0,
      Date.UTC(12_000, 0, 1, 0, 0, 0, 1),
    ];
    for (const time of times) expect(isoTime(time)).toBe(new Date(time).toISOString());
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
