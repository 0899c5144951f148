import type { ExecutionRecord } from '../execution-record.js';
import { LATENCY_BUCKETS_MS, ROLLUP_SUMMED } from './rollup-statement.js';

const HOUR_MS = 3_600_000;

/** One folded rollup row: [bucket ISO time, org, user, provider, model, operation, outcome, ...sums, max duration]. */
export type FoldedRollup = [string, string, string, string, string, string, string, ...number[]];

const CALLS = 0;
const ERRORS = 1;
const PROMPT = 2;
const COMPLETION = 3;
const TOTAL = 4;
const DURATION_SUM = 5;
const OVERHEAD_SUM = 6;
const OVERHEAD_CALLS = 7;
const FIRST_LATENCY_BUCKET = 8;
const MAX = ROLLUP_SUMMED.length;
/** Columns of a folded row: the bucket, six key parts, the sums and the maximum. */
export const FOLDED_ROLLUP_LENGTH = 7 + MAX + 1;

/**
 * Folds a batch of records (already fitted to their columns) into hourly rollup rows, one per hour
 * and key, exactly as pendingInsert's SQL would group them: the database then takes a row per key
 * instead of grouping the logged rows a second time. The daily tier is summed from these when they
 * are merged.
 */
export function foldIntoRollups(records: readonly ExecutionRecord[]): FoldedRollup[] {
  const fold = new RollupFold();
  fold.add(records);
  return fold.rows;
}

/**
 * foldIntoRollups a part at a time: `add` each part of a batch as it comes (the writer folds each
 * slice it writes, so no one turn of the event loop folds a whole batch), then `rows` holds the
 * batch's rollups.
 */
export class RollupFold {
  // Hour by hour (a batch spans one or two), then by user, whose few rows are compared field by
  // field: no key string is built per record (hashing a new string for a map was most of the
  // fold's time), and a caller's user id is usually one string object whose hash is kept.
  private readonly hours = new Map<number, { bucket: string; users: Map<string, UserRows> }>();
  readonly rows: FoldedRollup[] = [];

  add(records: readonly ExecutionRecord[]): void {
    for (const record of records) {
      const bucketStart = Math.floor(record.createdAt.getTime() / HOUR_MS) * HOUR_MS;
      let hour = this.hours.get(bucketStart);
      if (!hour) this.hours.set(bucketStart, (hour = { bucket: new Date(bucketStart).toISOString(), users: new Map() }));
      const outcome = record.cached ? 'cached' : record.success ? 'ok' : (record.errorCode ?? 'error');
      let user = hour.users.get(record.userId);
      if (!user) hour.users.set(record.userId, (user = { rows: [], byKey: null }));
      let row = user.byKey
        ? user.byKey.get(recordKey(record, outcome))
        : user.rows.find((candidate) => sameKey(candidate, record, outcome));
      if (!row) {
        row = newRow(hour.bucket, record, outcome);
        addUserRow(user, row);
        this.rows.push(row);
      }
      addRecord(row, record);
    }
  }
}

/** A user's rows of one hour; past SCANNED_ROWS of them (many models or outcomes), also by key. */
interface UserRows {
  rows: FoldedRollup[];
  byKey: Map<string, FoldedRollup> | null;
}

/** Beyond this many rows, a user's rows are found by key: a caller naming a new model per call must not make the fold quadratic. */
const SCANNED_ROWS = 16;

function addUserRow(user: UserRows, row: FoldedRollup): void {
  user.rows.push(row);
  if (user.byKey) user.byKey.set(rowKey(row), row);
  else if (user.rows.length > SCANNED_ROWS) user.byKey = new Map(user.rows.map((each) => [rowKey(each), each]));
}

/** Whether `row` (of the record's hour and user) is the row of the record's key. */
function sameKey(row: FoldedRollup, record: ExecutionRecord, outcome: string): boolean {
  return (
    row[6] === outcome &&
    row[3] === record.provider &&
    row[5] === record.operation &&
    row[4] === (record.model ?? '') &&
    row[1] === (record.orgId ?? '')
  );
}

/** A row's key within its hour and user. A NUL cannot occur in the fitted texts, so it separates the parts unambiguously. */
const keyOf = (org: string, provider: string, model: string, operation: string, outcome: string) =>
  `${org}\u0000${provider}\u0000${model}\u0000${operation}\u0000${outcome}`;
const rowKey = (row: FoldedRollup) => keyOf(row[1], row[3], row[4], row[5], row[6]);
const recordKey = (record: ExecutionRecord, outcome: string) =>
  keyOf(record.orgId ?? '', record.provider, record.model ?? '', record.operation, outcome);

function newRow(bucket: string, record: ExecutionRecord, outcome: string): FoldedRollup {
  const row: Array<string | number> = [
    bucket,
    record.orgId ?? '',
    record.userId,
    record.provider,
    record.model ?? '',
    record.operation,
    outcome,
  ];
  for (let index = 0; index <= MAX; index++) row.push(0);
  return row as FoldedRollup;
}

function addRecord(row: FoldedRollup, record: ExecutionRecord): void {
  const sums = row as unknown as number[];
  const at = (index: number) => 7 + index;
  const duration = record.durationMs;
  sums[at(CALLS)]++;
  if (!record.success) sums[at(ERRORS)]++;
  sums[at(PROMPT)] += record.promptTokens ?? 0;
  sums[at(COMPLETION)] += record.completionTokens ?? 0;
  sums[at(TOTAL)] += record.totalTokens ?? 0;
  sums[at(DURATION_SUM)] += duration;
  if (record.upstreamMs !== undefined && record.upstreamMs !== null) {
    sums[at(OVERHEAD_SUM)] += Math.max(duration - record.upstreamMs, 0);
    sums[at(OVERHEAD_CALLS)]++;
  }
  for (let bucket = 0; bucket < LATENCY_BUCKETS_MS.length; bucket++) {
    if (duration > LATENCY_BUCKETS_MS[bucket]) continue;
    sums[at(FIRST_LATENCY_BUCKET + bucket)]++;
    break;
  }
  if (sums[at(CALLS)] === 1 || duration > sums[at(MAX)]) sums[at(MAX)] = duration;
}
