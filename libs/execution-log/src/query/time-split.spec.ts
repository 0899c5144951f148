import { describe, expect, it } from '@jest/globals';
import { HOUR_MS, splitByWhole, splitIntoTiers } from './time-split.js';

const splitByWholeHours = (range: { from?: Date; to?: Date }) => splitByWhole(range, HOUR_MS);

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

describe('splitIntoTiers', () => {
  const on = (day: string, time: string) => new Date(`2026-11-${day}T${time}Z`);

  it('reads whole days from daily rollups, whole hours at the ends from hourly ones, the rest from raw rows', () => {
    expect(splitIntoTiers({ from: on('01', '08:17:00'), to: on('05', '12:23:00') })).toEqual({
      raw: [
        { from: on('01', '08:17:00'), to: on('01', '09:00:00') },
        { from: on('05', '12:00:00'), to: on('05', '12:23:00') },
      ],
      hours: [
        { from: on('01', '09:00:00'), to: on('02', '00:00:00') },
        { from: on('05', '00:00:00'), to: on('05', '12:00:00') },
      ],
      days: { from: on('02', '00:00:00'), to: on('05', '00:00:00') },
    });
  });

  it('uses hourly rollups alone when no whole day fits, and days alone on day boundaries', () => {
    expect(splitIntoTiers({ from: on('01', '08:00:00'), to: on('02', '10:00:00') })).toEqual({
      raw: [],
      hours: [{ from: on('01', '08:00:00'), to: on('02', '10:00:00') }],
      days: null,
    });
    expect(splitIntoTiers({ from: on('01', '00:00:00'), to: on('03', '00:00:00') })).toEqual({
      raw: [],
      hours: [],
      days: { from: on('01', '00:00:00'), to: on('03', '00:00:00') },
    });
  });

  it('reads an open start from daily rollups up to the first partial day', () => {
    expect(splitIntoTiers({ to: on('05', '12:23:00') })).toEqual({
      raw: [{ from: on('05', '12:00:00'), to: on('05', '12:23:00') }],
      hours: [{ from: on('05', '00:00:00'), to: on('05', '12:00:00') }],
      days: { from: undefined, to: on('05', '00:00:00') },
    });
  });

  it('reads a range inside one hour from raw rows alone', () => {
    expect(splitIntoTiers({ from: on('01', '08:10:00'), to: on('01', '08:50:00') })).toEqual({
      raw: [{ from: on('01', '08:10:00'), to: on('01', '08:50:00') }],
      hours: [],
      days: null,
    });
  });
});
