import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, type ExecutionLogConfig } from '@app/config';
import type { ExecutionRecord } from './execution-record.js';

export interface ExecutionLogWriterStats {
  queued: number;
  written: number;
  dropped: number;
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
  private readonly config: ExecutionLogConfig;
  private queue: ExecutionRecord[] = [];
  private inFlight: Promise<void> | null = null;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private dropped = 0;
  private failedBatches = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) appConfig: AppConfig,
  ) {
    this.config = appConfig.executionLog;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.flushIntervalMs);
    this.timer.unref();
  }

  record(record: ExecutionRecord): void {
    if (this.queue.length >= this.config.maxQueueSize) {
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1000 === 0) {
        this.logger.warn(`Execution log queue is full (${this.config.maxQueueSize}); ${this.dropped} records dropped so far`);
      }
      return;
    }
    if (record.errorMessage !== null && record.errorMessage.length > 1000) {
      record.errorMessage = `${record.errorMessage.slice(0, 999)}…`;
    }
    this.queue.push(record);
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
    return { queued: this.queue.length, written: this.written, dropped: this.dropped, failedBatches: this.failedBatches };
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) {
      this.logger.error(`${this.queue.length} execution log records could not be written before shutdown`);
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.config.batchSize);
      try {
        await this.dataSource.query(INSERT_STATEMENT, columnArrays(batch));
        this.written += batch.length;
      } catch (error) {
        this.failedBatches++;
        // Put the batch back in front; the next interval retries it.
        this.queue = batch.concat(this.queue);
        this.logger.warn(`Writing ${batch.length} execution log records failed, will retry: ${(error as Error).message}`);
        return;
      }
    }
  }
}

/** Columns in insert order with their array types; `id` is left to the database default. */
const COLUMNS: ReadonlyArray<readonly [column: string, arrayType: string, value: (record: ExecutionRecord) => unknown]> = [
  ['request_id', 'varchar[]', (record) => record.requestId],
  ['user_id', 'varchar[]', (record) => record.userId],
  ['org_id', 'varchar[]', (record) => record.orgId],
  ['provider', 'varchar[]', (record) => record.provider],
  ['operation', 'varchar[]', (record) => record.operation],
  ['model', 'varchar[]', (record) => record.model],
  ['duration_ms', 'integer[]', (record) => record.durationMs],
  ['prompt_tokens', 'integer[]', (record) => record.promptTokens],
  ['completion_tokens', 'integer[]', (record) => record.completionTokens],
  ['total_tokens', 'integer[]', (record) => record.totalTokens],
  ['success', 'boolean[]', (record) => record.success],
  ['error_code', 'varchar[]', (record) => record.errorCode],
  ['error_message', 'varchar[]', (record) => record.errorMessage],
  ['credential_source', 'varchar[]', (record) => record.credentialSource],
  ['credential_id', 'varchar[]', (record) => record.credentialId],
  ['is_proxy', 'boolean[]', (record) => record.isProxy],
  ['created_at', 'timestamptz[]', (record) => record.createdAt.toISOString()],
];

/**
 * One INSERT for a whole batch, whatever its size: a bind parameter per column holding that
 * column's values as an array, turned back into rows by unnest(). With a parameter per value (17
 * per row) writing cost 12.5 µs of Node CPU per row and managed 25k rows/s; this way 10.2 µs and
 * 40k rows/s. Hand-written because TypeORM's query builder cost more than either.
 */
const INSERT_STATEMENT =
  `INSERT INTO "execution_logs" (${COLUMNS.map(([column]) => `"${column}"`).join(', ')}) ` +
  `SELECT * FROM unnest(${COLUMNS.map(([, arrayType], index) => `$${index + 1}::${arrayType}`).join(', ')})`;

function columnArrays(batch: ExecutionRecord[]): unknown[][] {
  return COLUMNS.map(([, , value]) => batch.map(value));
}
