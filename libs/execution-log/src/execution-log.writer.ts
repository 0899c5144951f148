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
        await this.dataSource.query(insertStatement(batch.length, this.config.batchSize), batch.flatMap(rowValues));
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

/** Columns in insert order; `id` is left to the database default. */
const COLUMNS = [
  'request_id', 'user_id', 'org_id', 'provider', 'operation', 'model', 'duration_ms', 'prompt_tokens', 'completion_tokens',
  'total_tokens', 'success', 'error_code', 'error_message', 'credential_source', 'credential_id', 'is_proxy', 'created_at',
] as const;

const statements = new Map<number, string>();
const SMALL_BATCH_ROWS = 16;

/**
 * One multi-row INSERT with bind parameters. Hand-written because TypeORM's query builder spent
 * more CPU assembling a 200-row insert than the request path itself. Kept for the sizes that recur
 * (a full batch under load, a handful of rows when quiet), not for every size: under load every size
 * up to the batch size turns up, and all of them together held megabytes of statement text (2.4 MB
 * at the default 200 rows, 15 MB at 500).
 */
function insertStatement(rows: number, batchSize: number): string {
  const cached = statements.get(rows);
  if (cached) return cached;
  const tuples = Array.from({ length: rows }, (_, row) => `(${COLUMNS.map((_, column) => `$${row * COLUMNS.length + column + 1}`).join(', ')})`);
  const statement = `INSERT INTO "execution_logs" (${COLUMNS.map((column) => `"${column}"`).join(', ')}) VALUES ${tuples.join(', ')}`;
  if (rows === batchSize || rows <= SMALL_BATCH_ROWS) statements.set(rows, statement);
  return statement;
}

function rowValues(record: ExecutionRecord): unknown[] {
  return [
    record.requestId, record.userId, record.orgId, record.provider, record.operation, record.model, record.durationMs, record.promptTokens,
    record.completionTokens, record.totalTokens, record.success, record.errorCode, record.errorMessage, record.credentialSource,
    record.credentialId, record.isProxy, record.createdAt,
  ];
}
