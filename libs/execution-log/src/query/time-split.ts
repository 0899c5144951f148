export const HOUR_MS = 3_600_000;

/** A half-open time range; an open end is unbounded. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** Where each part of a range is read from: whole hours from rollups, partial hours from raw rows. */
export interface TimeSplit {
  raw: TimeRange[];
  rollups: TimeRange | null;
}

/**
 * Splits [from, to) so that rollups answer every whole hour in it and raw rows only the partial
 * hours at its ends: the sum equals what raw rows alone would give, for a few raw rows at most.
 */
export function splitByWholeHours({ from, to }: TimeRange): TimeSplit {
  const firstWholeHour = from && new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const endOfWholeHours = to && new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  if (firstWholeHour && endOfWholeHours && firstWholeHour >= endOfWholeHours) return { raw: [{ from, to }], rollups: null };
  const raw: TimeRange[] = [];
  if (from && firstWholeHour && from < firstWholeHour) raw.push({ from, to: firstWholeHour });
  if (to && endOfWholeHours && endOfWholeHours < to) raw.push({ from: endOfWholeHours, to });
  return { raw, rollups: { from: firstWholeHour, to: endOfWholeHours } };
}
