/**
 * How execution-log rows fold into hourly rollups: one row per hour (UTC), org, user, provider,
 * model, operation and outcome. The outcome is `ok`, `cached` or the error code, so error rates by
 * code come from rollups too. Org and model are '' rather than NULL in rollups, so the key is a
 * plain primary key that ON CONFLICT can target; readers map '' back to null.
 */
const OUTCOME = `CASE WHEN "cached" THEN 'cached' WHEN "success" THEN 'ok' ELSE COALESCE("error_code", 'error') END`;

/**
 * Upper bounds (ms) of the latency histogram each rollup row carries, one column per bucket counting
 * the calls in (previous bound, bound]; calls above the last bound are `calls` minus their sum.
 * Percentiles over any range are read from the summed buckets, as Prometheus does.
 */
export const LATENCY_BUCKETS_MS = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

export const latencyBucketColumn = (bound: number): string => `duration_ms_le_${bound}`;

const KEY = ['hour', 'org_id', 'user_id', 'provider', 'model', 'operation', 'outcome'] as const;
const SUMMED = [
  'calls',
  'errors',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'duration_ms_sum',
  'overhead_ms_sum',
  'overhead_calls',
  ...LATENCY_BUCKETS_MS.map(latencyBucketColumn),
];

const SUMS = [
  'count(*)',
  'count(*) FILTER (WHERE NOT "success")',
  'COALESCE(sum("prompt_tokens"), 0)',
  'COALESCE(sum("completion_tokens"), 0)',
  'COALESCE(sum("total_tokens"), 0)',
  'sum("duration_ms")',
  // The gateway's own time: the call's duration less the time waiting on the provider.
  'COALESCE(sum(GREATEST("duration_ms" - "upstream_ms", 0)), 0)',
  'count("upstream_ms")',
  ...LATENCY_BUCKETS_MS.map((bound, index) =>
    index === 0
      ? `count(*) FILTER (WHERE "duration_ms" <= ${bound})`
      : `count(*) FILTER (WHERE "duration_ms" > ${LATENCY_BUCKETS_MS[index - 1]} AND "duration_ms" <= ${bound})`,
  ),
];

/**
 * Adds the rows of `source` (a table or a WITH query holding execution-log columns) to the rollups.
 * Keys are sorted so two replicas updating the same rollups take their row locks in one order.
 */
export function rollupUpsert(source: string): string {
  const columns = [...KEY, ...SUMMED, 'duration_ms_max'].map((column) => `"${column}"`).join(', ');
  const updates = [
    ...SUMMED.map((column) => `"${column}" = rollup."${column}" + EXCLUDED."${column}"`),
    `"duration_ms_max" = GREATEST(rollup."duration_ms_max", EXCLUDED."duration_ms_max")`,
  ].join(', ');
  return (
    `INSERT INTO "execution_log_rollups" AS rollup (${columns}) ` +
    `SELECT date_trunc('hour', "created_at", 'UTC'), COALESCE("org_id", ''), "user_id", "provider", COALESCE("model", ''), "operation", ${OUTCOME}, ` +
    `${SUMS.join(', ')}, max("duration_ms") ` +
    `FROM ${source} GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7 ` +
    `ON CONFLICT (${KEY.map((column) => `"${column}"`).join(', ')}) DO UPDATE SET ${updates}`
  );
}
