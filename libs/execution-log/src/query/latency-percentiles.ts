/**
 * A percentile from a histogram of bucket counts, interpolated linearly inside the bucket it falls
 * in (as Prometheus' histogram_quantile does). The last bucket, above the highest bound, ends at
 * the largest value seen. Null without any observation.
 */
export function percentileFromBuckets(
  bounds: readonly number[],
  counts: readonly number[],
  overflow: number,
  max: number,
  quantile: number,
): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0) + overflow;
  if (total === 0) return null;
  const rank = quantile * total;
  let below = 0;
  for (let index = 0; index <= bounds.length; index++) {
    const count = index < bounds.length ? counts[index] : overflow;
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : bounds[index - 1];
      const upper = index < bounds.length ? Math.min(bounds[index], Math.max(max, lower)) : Math.max(max, lower);
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return max;
}
