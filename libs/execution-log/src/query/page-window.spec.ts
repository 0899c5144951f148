import { describe, expect, it } from '@jest/globals';
import { pageWindowStart } from './page-window.js';

const hour = (h: number) => new Date(Date.UTC(2026, 10, 30, h));

describe('pageWindowStart', () => {
  const stretches = [
    { from: hour(12), count: 3 }, // the partial newest hour, from raw rows
    { from: hour(11), count: 0 },
    { from: hour(10), count: 40 },
    { from: hour(9), count: 100 },
    { from: undefined, count: 7 }, // the open start
  ];

  it('reaches back just far enough for offset + limit rows', () => {
    expect(pageWindowStart(stretches, 3)).toEqual(hour(12));
    expect(pageWindowStart(stretches, 4)).toEqual(hour(10));
    expect(pageWindowStart(stretches, 43)).toEqual(hour(10));
    expect(pageWindowStart(stretches, 44)).toEqual(hour(9));
  });

  it('reads everything when fewer rows match than the page needs', () => {
    expect(pageWindowStart(stretches, 150)).toBeUndefined();
    expect(pageWindowStart(stretches, 1000)).toBeUndefined();
  });
});
