import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { isoTime } from '@app/common';
import { EXECUTION_LOG_TEXT_LENGTH as LENGTH } from '../execution-log.entity.js';
import type { ExecutionRecord } from '../execution-record.js';
import { FOLDED_ROLLUP_LENGTH, foldIntoRollups, RollupFold, type FoldedRollup } from '../rollups/rollup-fold.js';
import { foldedPendingInsert, PENDING_COPY_STATEMENT, pendingInsert } from '../rollups/rollup-statement.js';
import { copyText, type CopyValue } from './copy-text.js';

/**
 * How a batch of execution records gets into the database, rows and rollups in one transaction.
 *
 * On PostgreSQL the rows go by COPY (the cheapest way in for the database: no JSON to take apart
 * per row), and so do their rollups, folded here into one hourly row per key, to the pending
 * rollups that the writer's merge adds to both tiers (rollup-statement.ts); on embedded PGlite,
 * which has no COPY from a client stream, one statement takes rows and folded rollups as JSON
 * parameters. A batch sent again after a failure that may have followed the commit (the connection
 * was lost) goes through a statement that skips rows already in and takes rollups only from the
 * rows it inserted. Figures: bench/README.md.
 */
export async function insertBatch(dataSource: DataSource, records: readonly ExecutionRecord[], sentBefore: boolean): Promise<void> {
  if (sentBefore) {
    await dataSource.query(INSERT_AGAIN_STATEMENT, [rowsParameter(records.map(fitRecord))]);
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const connection: unknown = await runner.connect();
    if (!(connection instanceof pg.Client)) {
      // PGlite runs the statement on this thread anyway: building its parameters in slices would not free the event loop.
      const fitted = records.map(fitRecord);
      await runner.query(INSERT_STATEMENT, [rowsParameter(fitted), JSON.stringify(foldIntoRollups(fitted))]);
      return;
    }
    await runner.query('BEGIN');
    try {
      const fold = new RollupFold();
      await copyInSlices(connection, COPY_STATEMENT, records.length, (start, end) => {
        const fitted = records.slice(start, end).map(fitRecord);
        fold.add(fitted);
        return copyText(fitted, VALUES);
      });
      const rollups = fold.rows;
      await copyInSlices(connection, PENDING_COPY_STATEMENT, rollups.length, (start, end) =>
        copyText(rollups.slice(start, end), FOLDED_VALUES),
      );
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/**
 * Rows fitted, folded and written to a COPY at most this many at a time, the event loop let run
 * between slices: a batch of thousands, fitted and written at once, held it for milliseconds, and
 * every call in flight waited that long. The rollups' COPY goes the same way: with many callers a
 * batch folds to nearly as many rollup rows as it has rows (bench/README.md).
 */
const ROWS_PER_SLICE = 128;

/**
 * One COPY FROM STDIN of `count` rows, whose text `slice(start, end)` gives a slice (ROWS_PER_SLICE)
 * at a time; resolves once the database has them all. Written, not piped: stream.pipeline made an
 * AbortController, and an error for it, on every COPY.
 */
async function copyInSlices(
  connection: pg.Client,
  statement: string,
  count: number,
  slice: (start: number, end: number) => string,
): Promise<void> {
  const stream = connection.query(copyFrom(statement));
  const copied = finished(stream);
  // The database may refuse the COPY while a slice waits for its turn: the refusal is awaited below.
  copied.catch(() => undefined);
  for (let start = 0; start < count && !stream.destroyed; start += ROWS_PER_SLICE) {
    if (start > 0) await nextTurn();
    stream.write(slice(start, Math.min(start + ROWS_PER_SLICE, count)));
  }
  stream.end();
  await copied;
}

/** Text fields and their column lengths, and the count fields, that fitRecord brings within their columns. */
const TEXT_FIELDS = [
  ['requestId', LENGTH.requestId],
  ['userId', LENGTH.userId],
  ['orgId', LENGTH.orgId],
  ['provider', LENGTH.provider],
  ['operation', LENGTH.operation],
  ['model', LENGTH.model],
  ['errorCode', LENGTH.errorCode],
  ['errorMessage', LENGTH.errorMessage],
  ['credentialSource', LENGTH.credentialSource],
  ['credentialId', LENGTH.credentialId],
] as const satisfies ReadonlyArray<readonly [keyof ExecutionRecord, number]>;
const INTEGER_FIELDS = ['promptTokens', 'completionTokens', 'totalTokens', 'upstreamMs'] as const satisfies ReadonlyArray<
  keyof ExecutionRecord
>;

/**
 * A record as its columns hold it: texts cut to their column sizes, counts whole and in range, a
 * cached flag. Most records already are and are used as they are: a copy is made only for a
 * record with something to change (copying every one cost more than the checks).
 */
function fitRecord(record: ExecutionRecord): ExecutionRecord {
  const fields = record as unknown as Record<string, unknown>;
  let fitted: Record<string, unknown> | undefined;
  const fit = (field: string, value: unknown) => {
    if (value !== (fields[field] ?? null)) (fitted ??= { ...record })[field] = value;
  };
  for (const [field, maxLength] of TEXT_FIELDS) fit(field, fitText(record[field], maxLength));
  for (const field of INTEGER_FIELDS) fit(field, fitInteger(record[field] ?? null));
  fit('durationMs', fitInteger(record.durationMs) ?? 0);
  if (typeof record.cached !== 'boolean') fit('cached', false);
  return (fitted as ExecutionRecord | undefined) ?? record;
}

/** Columns in insert order with their SQL types, read from a fitted record. */
const COLUMNS: ReadonlyArray<readonly [column: string, sqlType: string, value: (record: ExecutionRecord) => CopyValue]> = [
  ['id', 'uuid', (record) => record.id],
  ['request_id', 'varchar', (record) => record.requestId],
  ['user_id', 'varchar', (record) => record.userId],
  ['org_id', 'varchar', (record) => record.orgId],
  ['provider', 'varchar', (record) => record.provider],
  ['operation', 'varchar', (record) => record.operation],
  ['model', 'varchar', (record) => record.model],
  ['duration_ms', 'integer', (record) => record.durationMs],
  ['prompt_tokens', 'integer', (record) => record.promptTokens],
  ['completion_tokens', 'integer', (record) => record.completionTokens],
  ['total_tokens', 'integer', (record) => record.totalTokens],
  ['success', 'boolean', (record) => record.success],
  ['error_code', 'varchar', (record) => record.errorCode],
  ['error_message', 'varchar', (record) => record.errorMessage],
  ['credential_source', 'varchar', (record) => record.credentialSource],
  ['credential_id', 'varchar', (record) => record.credentialId],
  ['is_proxy', 'boolean', (record) => record.isProxy],
  ['cached', 'boolean', (record) => record.cached],
  ['upstream_ms', 'integer', (record) => record.upstreamMs],
  ['created_at', 'timestamptz', (record) => isoTime(record.createdAt.getTime())],
];

const POSTGRES_INTEGER_MAX = 2_147_483_647;

/**
 * Text as PostgreSQL can hold it in a varchar(maxLength): without NUL characters (no PostgreSQL
 * text may contain one), without unpaired surrogates (PostgreSQL's JSON parser refuses their
 * escapes) and cut with an ellipsis. Model names and error messages come from upstreams, which may
 * send anything.
 */
function fitText(value: string | null, maxLength: number): string | null {
  if (value === null) return null;
  let text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (text.length > maxLength) text = `${text.slice(0, maxLength - 1)}…`;
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** A count or duration as a PostgreSQL integer: whole, and capped at its maximum. */
function fitInteger(value: number | null): number | null {
  return value === null || Number.isNaN(value) ? null : Math.min(Math.max(Math.trunc(value), -POSTGRES_INTEGER_MAX), POSTGRES_INTEGER_MAX);
}

const COLUMN_LIST = COLUMNS.map(([column]) => `"${column}"`).join(', ');

const VALUES = COLUMNS.map(([, , value]) => value);
const rowValues = (record: ExecutionRecord): CopyValue[] => VALUES.map((value) => value(record));

const COPY_STATEMENT = `COPY "execution_logs" (${COLUMN_LIST}) FROM STDIN`;

/** A folded rollup row's columns, in order: the row is already in column order. */
const FOLDED_VALUES = Array.from({ length: FOLDED_ROLLUP_LENGTH }, (_, index) => (row: FoldedRollup) => row[index]);

/**
 * Without COPY (PGlite): the rows as one JSON array of arrays in a single bind parameter, taken
 * apart by jsonb_array_elements() (jsonb, so each row is parsed once), cheaper than a bind
 * parameter per value or an array per column; the folded rollups in $2.
 */
const BATCH =
  `WITH "batch" AS (SELECT ${COLUMNS.map(([column, sqlType], index) => `(row->>${index})::${sqlType} AS "${column}"`).join(', ')} ` +
  `FROM jsonb_array_elements($1::jsonb) AS row)`;
const INSERT_STATEMENT =
  `${BATCH}, "logged" AS (INSERT INTO "execution_logs" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM "batch") ` + foldedPendingInsert(2);

/** Sent again: rows already in are skipped, the rollups grouped from the rows inserted. */
const INSERTED_AGAIN = '"batch" JOIN "logged" USING ("id")';
const INSERT_AGAIN_STATEMENT =
  `${BATCH}, "logged" AS (INSERT INTO "execution_logs" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM "batch" ON CONFLICT DO NOTHING RETURNING "id") ` +
  pendingInsert(INSERTED_AGAIN);

function rowsParameter(records: readonly ExecutionRecord[]): string {
  return JSON.stringify(records.map(rowValues));
}
