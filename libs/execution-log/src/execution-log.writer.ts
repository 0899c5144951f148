import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { executionLogConfig, type ExecutionLogConfig } from './execution-log.config.js';
import type { ExecutionRecord } from './execution-record.js';
import { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';
import { insertBatch } from './batch/batch-insert.js';
import { timeOrderedId } from './time-ordered-id.js';
import { MERGE_PENDING_STATEMENT, PENDING_ROLLUPS } from './rollups/rollup-statement.js';

export interface ExecutionLogWriterStats {
  queued: number;
  written: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Refused by the database one by one (a row it would not take even alone). */
  rejected: number;
  failedBatches: number;
  /** Merges of the pending rollups into the tiers that failed (they are tried again on the next interval). */
  failedMerges: number;
}

/**
 * Buffers execution records in memory and inserts them in multi-row batches, off the request path:
 * `record` never waits on the database. Flushes when a batch fills, on an interval and before
 * shutdown. If the database is down, records wait (up to the queue bound) and are retried; beyond
 * the bound new records are dropped and counted, so memory stays bounded. Each batch's rollups go to
 * the pending rollups with it; every rollupMergeIntervalMs (and at shutdown) they are merged into
 * the tiers, many batches' worth of a key in one upsert.
 */
@Injectable()
export class ExecutionLogWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExecutionLogWriter.name);
  private queue: ExecutionRecord[] = [];
  /** Records of batches that failed in flight: they are sent again with the statement that skips rows already in. */
  private readonly sentBefore = new WeakSet<ExecutionRecord>();
  /** Records taken off the queue by the batch being written: they still count against the cap. */
  private writing = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** A drain is running: set and cleared synchronously, so a flush never joins a drain that has already finished. */
  private draining = false;
  /** How many records at the head of the queue a flush asked for; the drain writes those, then only full batches. */
  private due = 0;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private mergeTimer: NodeJS.Timeout | undefined;
  private merging: Promise<void> | null = null;
  private failedMerges = 0;
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
    this.mergeTimer = setInterval(() => void this.mergeRollups().catch(() => undefined), this.config.rollupMergeIntervalMs);
    this.mergeTimer.unref();
  }

  record(record: ExecutionRecord): void {
    if (this.queue.length + this.writing >= this.config.maxQueueSize) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.logger.warn(`Execution log queue is full (${this.config.maxQueueSize}); ${this.dropped} records dropped so far`);
      }
      return;
    }
    // The row's id is set here, once: a batch sent twice (its commit lost with the connection) inserts
    // nothing twice. Set on the record itself (the writer owns it from here): a copy cost more than the rest of queueing.
    record.id ??= timeOrderedId(record.createdAt.getTime());
    this.queue.push(record);
    if (this.queue.length >= this.config.batchSize && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /**
   * Writes everything queued so far (what fails goes back on the queue for the next interval).
   * Concurrent calls share one drain, so batches never interleave: a call made while it runs adds
   * what is queued by then to what that drain writes.
   */
  flush(): Promise<void> {
    this.due = this.queue.length;
    if (!this.draining) {
      this.draining = true;
      this.inFlight = this.drain();
    }
    return this.inFlight;
  }

  /**
   * Moves the pending rollups into the hourly and daily tiers (one statement: MERGE_PENDING_STATEMENT),
   * then vacuums the pending table, which the merge leaves all dead rows, so it stays a few pages
   * however long between autovacuum's visits. Concurrent calls share one merge; a failure is counted
   * and logged, and what was pending stays for the next merge (readers count it meanwhile).
   */
  mergeRollups(): Promise<void> {
    this.merging ??= this.dataSource
      .query(MERGE_PENDING_STATEMENT)
      .then(
        // Housekeeping only: it may be refused (inside another statement's transaction on PGlite's one session).
        () => this.dataSource.query(`VACUUM "${PENDING_ROLLUPS}"`).catch(() => undefined),
        (error: unknown) => {
          this.failedMerges++;
          this.logger.warn(`Merging pending execution log rollups failed, will retry: ${(error as Error).message}`);
          throw error;
        },
      )
      .finally(() => {
        this.merging = null;
      });
    return this.merging;
  }

  stats(): ExecutionLogWriterStats {
    return {
      queued: this.queue.length + this.writing,
      written: this.written,
      dropped: this.dropped,
      rejected: this.rejected,
      failedBatches: this.failedBatches,
      failedMerges: this.failedMerges,
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.mergeTimer);
    await this.flush();
    if (this.queue.length > 0) {
      this.logger.error(`${this.queue.length} execution log records could not be written before shutdown`);
    }
    // Not needed for exact answers (readers count pending rollups), but a stopped writer leaves none behind.
    await this.mergeRollups().catch(() => undefined);
  }

  /**
   * Writes the records a flush asked for, and full batches: records that arrive meanwhile wait for
   * a full batch or the next interval (chasing the queue's tail instead turned a steady load into a
   * stream of small transactions, one per insert's duration). Batches go two at a time: while the
   * database inserts one, the next is serialized, so the writer's rate is the slower of the two
   * sides rather than their sum. Stops at the first batch that fails for a reason other than its
   * data (it went back on the queue; the interval retries).
   */
  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<boolean>>();
    let failed = false;
    const batchReady = () => this.queue.length > 0 && (this.due > 0 || this.queue.length >= this.config.batchSize);
    try {
      for (;;) {
        while (!failed && batchReady() && inFlight.size < BATCHES_IN_FLIGHT) {
          const batch = this.queue.splice(0, this.config.batchSize);
          this.due = Math.max(this.due - batch.length, 0);
          this.writing += batch.length;
          const writing: Promise<boolean> = this.write(batch).then((written) => {
            this.writing -= batch.length;
            inFlight.delete(writing);
            failed ||= !written;
            return written;
          });
          inFlight.add(writing);
        }
        if (inFlight.size === 0) return;
        await Promise.race(inFlight);
      }
    } finally {
      // What a failed drain left is the next interval's to ask for.
      this.due = 0;
      this.draining = false;
    }
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
    await insertBatch(
      this.dataSource,
      batch,
      batch.some((record) => this.sentBefore.has(record)),
    );
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
