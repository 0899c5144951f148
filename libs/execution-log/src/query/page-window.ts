/** Matching rows counted in one stretch of time that ends where the next newer stretch begins. */
export interface CountedStretch {
  /** Where the stretch begins; undefined: unbounded (the range's open start). */
  from: Date | undefined;
  count: number;
}

/**
 * How far back a page of the newest rows reaches: given matching-row counts per stretch, newest
 * first, the start of the stretch in which `rowsNeeded` (offset + limit) is reached. The page's
 * query then reads only from there on, however rare the matching rows are in a large log.
 * Undefined when the stretches hold fewer rows than needed (read everything).
 */
export function pageWindowStart(newestFirst: readonly CountedStretch[], rowsNeeded: number): Date | undefined {
  let seen = 0;
  for (const stretch of newestFirst) {
    seen += stretch.count;
    if (seen >= rowsNeeded) return stretch.from;
  }
  return undefined;
}
