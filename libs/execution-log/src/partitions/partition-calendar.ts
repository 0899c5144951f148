/**
 * The calendar of the execution log's daily partitions, in UTC: which partition a row belongs to,
 * which partitions to create ahead, which are past retention. Pure, so it is tested without a
 * database or a real clock.
 */

export const DAY_MS = 86_400_000;

const PARTITION_PREFIX = 'execution_logs_p';

/** A UTC day, as the number of days since the epoch. */
export type DayNumber = number;

export function dayOf(timeMs: number): DayNumber {
  return Math.floor(timeMs / DAY_MS);
}

export function dayStart(day: DayNumber): Date {
  return new Date(day * DAY_MS);
}

/** `execution_logs_p20261130`: sortable, and parsed back by partitionDay. */
export function partitionName(day: DayNumber): string {
  return PARTITION_PREFIX + dayStart(day).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The day a partition holds, or null for a table that is not one of ours. */
export function partitionDay(name: string): DayNumber | null {
  const match = /^execution_logs_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(time) || partitionName(dayOf(time)) !== name ? null : dayOf(time);
}

/** Yesterday (calls that started before midnight are written after it) to `aheadDays` after today. */
export function daysToPrepare(nowMs: number, aheadDays: number): DayNumber[] {
  const today = dayOf(nowMs);
  return Array.from({ length: aheadDays + 2 }, (_, index) => today - 1 + index);
}

/**
 * The first day whose partition is kept: a partition goes only when all of it is older than the
 * retention, so every row is kept at least `retentionDays` days. Null when retention is off (0).
 */
export function oldestKeptDay(nowMs: number, retentionDays: number): DayNumber | null {
  if (retentionDays === 0) return null;
  // Day d ends at (d + 1) days; it is dropped when that end is at or before now − retention.
  return Math.floor((nowMs - retentionDays * DAY_MS) / DAY_MS);
}

/** Whether rows of this day may be written: a partition past retention would be dropped again. */
export function isWithinRetention(day: DayNumber, nowMs: number, retentionDays: number): boolean {
  const oldest = oldestKeptDay(nowMs, retentionDays);
  return oldest === null || day >= oldest;
}

/** Partition names (of those given) whose whole day is past retention. */
export function expiredPartitions(names: readonly string[], nowMs: number, retentionDays: number): string[] {
  return names.filter((name) => {
    const day = partitionDay(name);
    return day !== null && !isWithinRetention(day, nowMs, retentionDays);
  });
}
