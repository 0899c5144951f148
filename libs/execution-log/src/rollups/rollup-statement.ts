/**
 * How execution-log rows fold into rollups, in two tiers: hourly and daily (UTC), one row per bucket,
 * org, user, provider, model, operation and outcome. The outcome is `ok`, `cached` or the error
 * code, so error rates by code come from rollups too. Org and model are '' rather than NULL in
 * rollups, so the key is a plain primary key that ON CONFLICT can target; readers map '' back to null.
 * Long ranges read the daily tier (24 times fewer rows), their partial days the hourly one.
 *
 * The writer does not upsert the tiers per batch: it appends each batch's folded hourly rows to
 * `execution_log_rollup_pending` (no index, no conflict to resolve) in the batch's transaction, and
 * every few seconds one merge moves what is pending into both tiers, one upsert per key and tier
 * for all the batches in between. Readers read each tier together with what is pending for it
 * (`rollupSource`), so answers stay exact between merges.
 */
const OUTCOME = `CASE WHEN "cached" THEN 'cached' WHEN "success" THEN 'ok' ELSE COALESCE("error_code", 'error') END`;

export type RollupTier = 'hourly' | 'daily';

/** Each tier's table, the name of its bucket column and the unit date_trunc cuts time to. */
export const ROLLUP_TIERS = {
  hourly: { table: 'execution_log_rollups', bucket: 'hour', unit: 'hour' },
  daily: { table: 'execution_log_daily_rollups', bucket: 'day', unit: 'day' },
} as const satisfies Record<RollupTier, { table: string; bucket: string; unit: string }>;

/**
 * Upper bounds (ms) of the latency histogram each rollup row carries, one column per bucket counting
 * the calls in (previous bound, bound]; calls above the last bound are `calls` minus their sum.
 * Percentiles over any range are read from the summed buckets, as Prometheus does.
 */
export const LATENCY_BUCKETS_MS = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

export const latencyBucketColumn = (bound: number): string => `duration_ms_le_${bound}`;

/** The key after the bucket, in the order of the primary key (and of the writer's folded rows). */
export const ROLLUP_KEY = ['org_id', 'user_id', 'provider', 'model', 'operation', 'outcome'] as const;

/** Columns that add up, in the order of the writer's folded rows; `duration_ms_max` follows them. */
export const ROLLUP_SUMMED = [
  'calls',
  'errors',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'duration_ms_sum',
  'overhead_ms_sum',
  'overhead_calls',
  ...LATENCY_BUCKETS_MS.map(latencyBucketColumn),
] as const;

const SUMS = [
  'count(*)',
  'count(*) FILTER (WHERE NOT "success")',
  'COALESCE(sum("prompt_tokens"), 0)',
  'COALESCE(sum("completion_tokens"), 0)',
  'COALESCE(sum("total_tokens"), 0)',
  'COALESCE(sum("duration_ms"), 0)',
  // The gateway's own time: the call's duration less the time waiting on the provider.
  'COALESCE(sum(GREATEST("duration_ms" - "upstream_ms", 0)), 0)',
  'count("upstream_ms")',
  ...LATENCY_BUCKETS_MS.map((bound, index) =>
    index === 0
      ? `count(*) FILTER (WHERE "duration_ms" <= ${bound})`
      : `count(*) FILTER (WHERE "duration_ms" > ${LATENCY_BUCKETS_MS[index - 1]} AND "duration_ms" <= ${bound})`,
  ),
];

/** Where folded hourly rows wait for the next merge into both tiers (the hourly tier's columns). */
export const PENDING_ROLLUPS = 'execution_log_rollup_pending';

/** The columns after the bucket, in the order of the primary key and of the writer's folded rows. */
const ROLLUP_COLUMNS = [...ROLLUP_KEY, ...ROLLUP_SUMMED, 'duration_ms_max'] as const;
const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(', ');
/** The pending rollups' columns, in the order of the writer's folded rows. */
const PENDING_COLUMNS = quoted(['hour', ...ROLLUP_COLUMNS]);

/** The rows of `source` (execution-log columns) grouped per `unit` of time and key: the rollup columns in order. */
function grouped(source: string, unit: 'hour' | 'day'): string {
  return (
    `SELECT date_trunc('${unit}', "created_at", 'UTC'), COALESCE("org_id", ''), "user_id", "provider", COALESCE("model", ''), "operation", ${OUTCOME}, ` +
    `${SUMS.join(', ')}, COALESCE(max("duration_ms"), 0) FROM ${source} GROUP BY 1, 2, 3, 4, 5, 6, 7`
  );
}

/** A pending row's bucket in `tier`: its hour, or the UTC day of it. */
const pendingBucket = (tier: RollupTier) => (tier === 'hourly' ? '"hour"' : `date_trunc('day', "hour", 'UTC')`);

function insertInto(tier: RollupTier): string {
  const { table, bucket } = ROLLUP_TIERS[tier];
  return `INSERT INTO "${table}" AS rollup (${quoted([bucket, ...ROLLUP_COLUMNS])}) `;
}

function addOnConflict(tier: RollupTier): string {
  const key = quoted([ROLLUP_TIERS[tier].bucket, ...ROLLUP_KEY]);
  const updates = [
    ...ROLLUP_SUMMED.map((column) => `"${column}" = rollup."${column}" + EXCLUDED."${column}"`),
    `"duration_ms_max" = GREATEST(rollup."duration_ms_max", EXCLUDED."duration_ms_max")`,
  ].join(', ');
  return ` ON CONFLICT (${key}) DO UPDATE SET ${updates}`;
}

/**
 * Adds the rows of `source` (a table or a WITH query holding execution-log columns) to one tier,
 * aggregating them in SQL. Keys are sorted so two replicas updating the same rollups take their row
 * locks in one order.
 */
export function rollupUpsert(source: string, tier: RollupTier = 'hourly'): string {
  return insertInto(tier) + `${grouped(source, ROLLUP_TIERS[tier].unit)} ORDER BY 1, 2, 3, 4, 5, 6, 7` + addOnConflict(tier);
}

/** COPY into the pending rollups, the folded rows' columns in order. */
export const PENDING_COPY_STATEMENT = `COPY "${PENDING_ROLLUPS}" (${PENDING_COLUMNS}) FROM STDIN`;

/**
 * Appends rows the writer already folded (see foldIntoRollups), given as a JSON array of arrays in
 * the bind parameter `$parameter`, to the pending rollups (where there is no COPY: PGlite).
 */
export function foldedPendingInsert(parameter: number): string {
  const values = [
    `(folded->>0)::timestamptz`,
    ...ROLLUP_KEY.map((_, index) => `folded->>${index + 1}`),
    ...[...ROLLUP_SUMMED, 'duration_ms_max'].map((_, index) => `(folded->>${index + 1 + ROLLUP_KEY.length})::bigint`),
  ];
  return `INSERT INTO "${PENDING_ROLLUPS}" (${PENDING_COLUMNS}) SELECT ${values.join(', ')} FROM jsonb_array_elements($${parameter}::jsonb) AS folded`;
}

/** Appends the rows of `source` (execution-log columns), grouped into hourly rows in SQL, to the pending rollups. */
export function pendingInsert(source: string): string {
  return `INSERT INTO "${PENDING_ROLLUPS}" (${PENDING_COLUMNS}) ${grouped(source, 'hour')}`;
}

/** Sums pending rows per key into the bucket of `tier`, in key order (two replicas lock rollup rows in one order). */
function mergedInto(tier: RollupTier): string {
  const sums = [...ROLLUP_SUMMED.map((column) => `sum("${column}")`), 'max("duration_ms_max")'];
  return (
    insertInto(tier) +
    `SELECT ${pendingBucket(tier)}, ${quoted(ROLLUP_KEY)}, ${sums.join(', ')} FROM "pending" GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7` +
    addOnConflict(tier)
  );
}

/**
 * One merge, one statement: pending rows are deleted and their sums added to both tiers together,
 * so it is atomic on any connection (embedded PGlite has one, shared by every caller) and readers
 * see the rows either pending or merged, never both nor neither. Rows a batch appends meanwhile are
 * not in its snapshot and wait for the next merge; a second replica's merge waits for the rows this
 * one deleted and skips them.
 */
export const MERGE_PENDING_STATEMENT =
  `WITH "pending" AS (DELETE FROM "${PENDING_ROLLUPS}" RETURNING *), ` + `"hourly" AS (${mergedInto('hourly')}) ${mergedInto('daily')}`;

/**
 * What readers read for a tier: its rows and the pending rows not merged yet (cut to days for the
 * daily tier), under the tier table's own name so filters and columns read the same. Sums over it
 * are exact whenever a merge ran, as the merge moves rows from one side to the other atomically.
 */
export function rollupSource(tier: RollupTier): string {
  const { table, bucket } = ROLLUP_TIERS[tier];
  return (
    `(SELECT ${quoted([bucket, ...ROLLUP_COLUMNS])} FROM "${table}" ` +
    `UNION ALL SELECT ${pendingBucket(tier)}, ${quoted(ROLLUP_COLUMNS)} FROM "${PENDING_ROLLUPS}") AS "${table}"`
  );
}
