import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { executionLogConfig, type ExecutionLogConfig } from './execution-log.config.js';
import { EXECUTION_LOG_TEXT_LENGTH as LENGTH } from './execution-log.entity.js';
import type { ExecutionRecord } from './execution-record.js';
import { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';
import { rollupUpsert } from './rollups/rollup-statement.js';

export interface ExecutionLogWriterStats {
  queued: number;
  written: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Refused by the database one by one (a row it would not take even alone). */
  rejected: number;
  failedBatches: number;
}

/**
 * Buffers execution records in memory and inserts them in multi-row batches, off the request path:
 * `record` never waits on the database. Flushes when a batch fills, on an interval and before
 * shutdown. If the database is down, records wait (up to the queue bound) and are retried; beyond
 * the bound new records are dropped and counted, so memory stays bounded.
 */
@Injectable()
export class ExecutionLogWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExecutionLogWriter.name);
  private queue: ExecutionRecord[] = [];
  /** Records of batches that failed in flight: they are sent again with the statement that skips rows already in. */
  private readonly sentBefore = new WeakSet<ExecutionRecord>();
  /** Records taken off the queue by the batch being written: they still count against the cap. */
  private writing = 0;
  private inFlight: Promise<void> | null = null;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private dropped = 0;
  private rejected = 0;
  private failedBatches = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(executionLogConfig.token) private readonly config: ExecutionLogConfig,
    private readonly partitions: ExecutionLogPartitions,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.flushIntervalMs);
    this.timer.unref();
  }

  record(record: ExecutionRecord): void {
    if (this.queue.length + this.writing >= this.config.maxQueueSize) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.logger.warn(`Execution log queue is full (${this.config.maxQueueSize}); ${this.dropped} records dropped so far`);
      }
      return;
    }
    // The row's id is set here, once: a batch sent twice (its commit lost with the connection) inserts nothing twice.
    this.queue.push(record.id === undefined ? { ...record, id: randomUUID() } : record);
    if (this.queue.length >= this.config.batchSize && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /** Writes everything queued so far. Concurrent calls share one drain, so batches never interleave. */
  flush(): Promise<void> {
    this.inFlight ??= this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  stats(): ExecutionLogWriterStats {
    return {
      queued: this.queue.length + this.writing,
      written: this.written,
      dropped: this.dropped,
      rejected: this.rejected,
      failedBatches: this.failedBatches,
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) {
      this.logger.error(`${this.queue.length} execution log records could not be written before shutdown`);
    }
  }

  /**
   * Writes batches two at a time: while the database inserts one, the next is serialized, so the
   * writer's rate is the slower of the two sides rather than their sum. Stops at the first batch
   * that fails for a reason other than its data (it went back on the queue; the interval retries).
   */
  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<boolean>>();
    let failed = false;
    while (!failed && (this.queue.length > 0 || inFlight.size > 0)) {
      while (!failed && this.queue.length > 0 && inFlight.size < BATCHES_IN_FLIGHT) {
        const batch = this.queue.splice(0, this.config.batchSize);
        this.writing += batch.length;
        const writing: Promise<boolean> = this.write(batch).then((written) => {
          this.writing -= batch.length;
          inFlight.delete(writing);
          failed ||= !written;
          return written;
        });
        inFlight.add(writing);
      }
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /** False when the batch (or what was left of it) went back on the queue. */
  private async write(batch: ExecutionRecord[]): Promise<boolean> {
    try {
      await this.insert(batch);
      this.written += batch.length;
      return true;
    } catch (error) {
      if (isRefusedData(error)) return this.insertOneByOne(batch);
      this.requeue(batch, error);
      return false;
    }
  }

  /** False when the database stopped answering part-way: what is left went back on the queue. */
  private async insertOneByOne(batch: ExecutionRecord[]): Promise<boolean> {
    for (const [index, record] of batch.entries()) {
      try {
        await this.insert([record]);
        this.written++;
      } catch (error) {
        if (!isRefusedData(error)) {
          this.requeue(batch.slice(index), error);
          return false;
        }
        this.rejected++;
        // The request id lets an operator find the call in the logs; the values stay out of them.
        this.logger.warn(
          `The database refused the execution log record of request ${record.requestId} (${(error as { code: string }).code}); it was not stored`,
        );
      }
    }
    return true;
  }

  private async insert(batch: ExecutionRecord[]): Promise<void> {
    await this.partitions.prepareFor(batch.map((record) => record.createdAt));
    const statement = batch.some((record) => this.sentBefore.has(record)) ? INSERT_AGAIN_STATEMENT : INSERT_STATEMENT;
    await this.dataSource.query(statement, rowsParameter(batch));
    for (const record of batch) this.sentBefore.delete(record);
  }

  /** Puts records back in front; the next interval retries them. */
  private requeue(batch: ExecutionRecord[], error: unknown): void {
    this.failedBatches++;
    // The connection may have been lost after the database committed: these may be in already.
    for (const record of batch) this.sentBefore.add(record);
    this.queue = batch.concat(this.queue);
    this.logger.warn(`Writing ${batch.length} execution log records failed, will retry: ${(error as Error).message}`);
  }
}

/** Two: one being inserted by the database while the next is serialized here. */
const BATCHES_IN_FLIGHT = 2;

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the database is up
 * and answering, and it turned the data away, so retrying the same batch would fail forever.
 */
function isRefusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Columns in insert order with their SQL types. */
const COLUMNS: ReadonlyArray<readonly [column: string, sqlType: string, value: (record: ExecutionRecord) => unknown]> = [
  ['id', 'uuid', (record) => record.id],
  ['request_id', 'varchar', (record) => fitText(record.requestId, LENGTH.requestId)],
  ['user_id', 'varchar', (record) => fitText(record.userId, LENGTH.userId)],
  ['org_id', 'varchar', (record) => fitText(record.orgId, LENGTH.orgId)],
  ['provider', 'varchar', (record) => fitText(record.provider, LENGTH.provider)],
  ['operation', 'varchar', (record) => fitText(record.operation, LENGTH.operation)],
  ['model', 'varchar', (record) => fitText(record.model, LENGTH.model)],
  ['duration_ms', 'integer', (record) => fitInteger(record.durationMs)],
  ['prompt_tokens', 'integer', (record) => fitInteger(record.promptTokens)],
  ['completion_tokens', 'integer', (record) => fitInteger(record.completionTokens)],
  ['total_tokens', 'integer', (record) => fitInteger(record.totalTokens)],
  ['success', 'boolean', (record) => record.success],
  ['error_code', 'varchar', (record) => fitText(record.errorCode, LENGTH.errorCode)],
  ['error_message', 'varchar', (record) => fitText(record.errorMessage, LENGTH.errorMessage)],
  ['credential_source', 'varchar', (record) => fitText(record.credentialSource, LENGTH.credentialSource)],
  ['credential_id', 'varchar', (record) => fitText(record.credentialId, LENGTH.credentialId)],
  ['is_proxy', 'boolean', (record) => record.isProxy],
  ['cached', 'boolean', (record) => record.cached === true],
  ['upstream_ms', 'integer', (record) => fitInteger(record.upstreamMs ?? null)],
  ['created_at', 'timestamptz', (record) => record.createdAt.toISOString()],
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

/**
 * One statement for a whole batch, whatever its size: the rows as one JSON array of arrays in a
 * single bind parameter, taken apart by jsonb_array_elements() (jsonb, so each row is parsed once;
 * with json every ->> re-parsed it). Cheaper per row than bind parameters per row or a typed array
 * per column through unnest() (pg escapes every array element), at more rows/s than either;
 * hand-written because TypeORM's query builder cost more than any of them. The same statement adds
 * the batch to the hourly rollups, so rows and rollups are written together or not at all.
 * Figures: bench/README.md.
 */
const COLUMN_LIST = COLUMNS.map(([column]) => `"${column}"`).join(', ');
const BATCH =
  `WITH "batch" AS (SELECT ${COLUMNS.map(([column, sqlType], index) => `(row->>${index})::${sqlType} AS "${column}"`).join(', ')} ` +
  `FROM jsonb_array_elements($1::jsonb) AS row)`;
const INSERT_STATEMENT = `${BATCH}, "logged" AS (INSERT INTO "execution_logs" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM "batch") ${rollupUpsert('"batch"')}`;
/**
 * For a batch sent again after a failure that may have come after the commit (the connection was
 * lost): rows already in are skipped, and only the rows this statement inserted reach the rollups.
 * Kept off the normal path, where the conflict check and the join cost a third more.
 */
const INSERT_AGAIN_STATEMENT =
  `${BATCH}, "logged" AS (INSERT INTO "execution_logs" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM "batch" ON CONFLICT DO NOTHING RETURNING "id") ` +
  rollupUpsert('"batch" JOIN "logged" USING ("id")');

function rowsParameter(batch: ExecutionRecord[]): [string] {
  return [JSON.stringify(batch.map((record) => COLUMNS.map(([, , value]) => value(record))))];
}
