import { describe, expect, it } from '@jest/globals';
import {
  DAY_MS,
  dayOf,
  daysToPrepare,
  expiredPartitions,
  isWithinRetention,
  oldestKeptDay,
  partitionDay,
  partitionName,
} from './partition-calendar.js';

const NOV_30_NOON = Date.UTC(2026, 10, 30, 12);

describe('partition calendar', () => {
  it('names a day in UTC and reads the name back', () => {
    const day = dayOf(Date.UTC(2026, 10, 30, 23, 59, 59, 999));
    expect(partitionName(day)).toBe('execution_logs_p20261130');
    expect(partitionDay('execution_logs_p20261130')).toBe(day);
    expect(dayOf(Date.UTC(2026, 11, 1))).toBe(day + 1);
  });

  it('ignores tables that are not daily partitions', () => {
    expect(partitionDay('execution_logs')).toBeNull();
    expect(partitionDay('execution_logs_p20261331')).toBeNull();
    expect(partitionDay('execution_logs_p20260230')).toBeNull();
    expect(partitionDay('execution_log_rollups')).toBeNull();
  });

  it('prepares yesterday, today and the days ahead', () => {
    expect(daysToPrepare(NOV_30_NOON, 2).map(partitionName)).toEqual([
      'execution_logs_p20261129',
      'execution_logs_p20261130',
      'execution_logs_p20261201',
      'execution_logs_p20261202',
    ]);
  });

  it('drops a day only when all of it is older than the retention', () => {
    // 90 days before Nov 30 noon is Sep 1 noon: Sep 1 still holds rows younger than 90 days.
    expect(partitionName(oldestKeptDay(NOV_30_NOON, 90)!)).toBe('execution_logs_p20260901');
    const names = ['execution_logs_p20260831', 'execution_logs_p20260901', 'execution_logs_p20261130', 'execution_logs'];
    expect(expiredPartitions(names, NOV_30_NOON, 90)).toEqual(['execution_logs_p20260831']);
    // At the stroke of midnight Sep 1 has been fully older than 90 days for no time at all: kept.
    expect(expiredPartitions(names, Date.UTC(2026, 10, 30), 90)).toEqual(['execution_logs_p20260831']);
    expect(expiredPartitions(names, Date.UTC(2026, 10, 30) + DAY_MS, 90)).toEqual(['execution_logs_p20260831', 'execution_logs_p20260901']);
  });

  it('keeps everything when retention is 0', () => {
    expect(oldestKeptDay(NOV_30_NOON, 0)).toBeNull();
    expect(expiredPartitions(['execution_logs_p19700101'], NOV_30_NOON, 0)).toEqual([]);
    expect(isWithinRetention(0, NOV_30_NOON, 0)).toBe(true);
  });

  it('refuses to write rows of days that retention would drop', () => {
    const today = dayOf(NOV_30_NOON);
    expect(isWithinRetention(today - 90, NOV_30_NOON, 90)).toBe(true);
    expect(isWithinRetention(today - 91, NOV_30_NOON, 90)).toBe(false);
  });
});
