export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A half-open time range; an open end is unbounded. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** A range cut at a unit's boundaries: the whole units in it, and the partial ones at its ends. */
export interface TimeSplit {
  raw: TimeRange[];
  rollups: TimeRange | null;
}

/** Where each part of a range is read from: whole days, whole hours, and raw rows for the rest. */
export interface TieredSplit {
  raw: TimeRange[];
  hours: TimeRange[];
  days: TimeRange | null;
}

/**
 * Splits [from, to) at whole units of `unitMs` (UTC): `rollups` covers every whole unit, `raw`
 * the partial units at its ends (or the whole range when no unit fits in it).
 */
export function splitByWhole({ from, to }: TimeRange, unitMs: number): TimeSplit {
  const firstWhole = from && new Date(Math.ceil(from.getTime() / unitMs) * unitMs);
  const endOfWhole = to && new Date(Math.floor(to.getTime() / unitMs) * unitMs);
  if (firstWhole && endOfWhole && firstWhole >= endOfWhole) return { raw: [{ from, to }], rollups: null };
  const raw: TimeRange[] = [];
  if (from && firstWhole && from < firstWhole) raw.push({ from, to: firstWhole });
  if (to && endOfWhole && endOfWhole < to) raw.push({ from: endOfWhole, to });
  return { raw, rollups: { from: firstWhole, to: endOfWhole } };
}

/**
 * Splits [from, to) so that daily rollups answer its whole days, hourly rollups the whole hours
 * left at either end, and raw rows only the partial hours: the sum equals what raw rows alone would
 * give (both tiers are written in the same transaction as the rows), for a few raw rows at most.
 */
export function splitIntoTiers(range: TimeRange): TieredSplit {
  const byHours = splitByWhole(range, HOUR_MS);
  if (!byHours.rollups) return { raw: byHours.raw, hours: [], days: null };
  const byDays = splitByWhole(byHours.rollups, DAY_MS);
  return { raw: byHours.raw, hours: byDays.rollups ? byDays.raw : [byHours.rollups], days: byDays.rollups };
}
