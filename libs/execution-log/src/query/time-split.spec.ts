import { describe, expect, it } from '@jest/globals';
import { splitByWholeHours } from './time-split.js';

const at = (time: string) => new Date(`2026-11-30T${time}Z`);

describe('splitByWholeHours', () => {
  it('reads whole hours from rollups and the partial hours at either end from raw rows', () => {
    expect(splitByWholeHours({ from: at('08:17:00'), to: at('12:23:00') })).toEqual({
      raw: [
        { from: at('08:17:00'), to: at('09:00:00') },
        { from: at('12:00:00'), to: at('12:23:00') },
      ],
      rollups: { from: at('09:00:00'), to: at('12:00:00') },
    });
  });

  it('needs no raw rows for a range on hour boundaries', () => {
    expect(splitByWholeHours({ from: at('08:00:00'), to: at('10:00:00') })).toEqual({
      raw: [],
      rollups: { from: at('08:00:00'), to: at('10:00:00') },
    });
  });

  it('reads a range inside one hour, or across one boundary without a whole hour, from raw rows alone', () => {
    expect(splitByWholeHours({ from: at('08:10:00'), to: at('08:50:00') })).toEqual({
      raw: [{ from: at('08:10:00'), to: at('08:50:00') }],
      rollups: null,
    });
    expect(splitByWholeHours({ from: at('08:10:00'), to: at('09:50:00') })).toEqual({
      raw: [{ from: at('08:10:00'), to: at('09:50:00') }],
      rollups: null,
    });
  });

  it('leaves an open end open', () => {
    expect(splitByWholeHours({ from: at('08:30:00') })).toEqual({
      raw: [{ from: at('08:30:00'), to: at('09:00:00') }],
      rollups: { from: at('09:00:00'), to: undefined },
    });
    expect(splitByWholeHours({})).toEqual({ raw: [], rollups: { from: undefined, to: undefined } });
  });
});
