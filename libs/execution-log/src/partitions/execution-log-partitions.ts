import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@app/common';
import { executionLogConfig, type ExecutionLogConfig } from '../execution-log.config.js';
import {
  dayOf,
  daysToPrepare,
  dayStart,
  DAY_MS,
  expiredPartitions,
  isWithinRetention,
  partitionDay,
  partitionName,
  type DayNumber,
} from './partition-calendar.js';

/** The advisory lock replicas take to change partitions ("integrations-partitions"). */
const PARTITION_LOCK = 727_100_002;
/** Days ahead of today that always have a partition, so midnight never waits on DDL. */
const DAYS_AHEAD = 2;
const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Keeps the execution log's daily partitions: creates them ahead of time (and on demand for a day
 * the writer meets first), drops whole partitions past EXECUTION_LOG_RETENTION_DAYS and prunes
 * rollups past EXECUTION_LOG_ROLLUP_RETENTION_DAYS. Runs at boot and hourly. Every change happens
 * under one advisory lock with IF [NOT] EXISTS, so replicas doing it at once agree; DDL waits at
 * most a few seconds for the table (lock_timeout) and otherwise tries again next time, rather than
 * queueing every insert behind it.
 */
@Injectable()
export class ExecutionLogPartitions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExecutionLogPartitions.name);
  private readonly now: Clock;
  /** Days known to have a partition: the writer's check is a set lookup, not a query. */
  private readonly prepared = new Set<DayNumber>();
  private oldestDay: DayNumber | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(executionLogConfig.token) private readonly config: ExecutionLogConfig,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? Date.now;
  }

  async onModuleInit(): Promise<void> {
    await this.maintain().catch((error: Error) => this.logger.warn(`Execution log maintenance failed, will retry: ${error.message}`));
    this.timer = setInterval(() => {
      this.maintain().catch((error: Error) => this.logger.warn(`Execution log maintenance failed, will retry: ${error.message}`));
    }, MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The retention setting and the oldest day still held (UTC, YYYY-MM-DD), as of the last maintenance. */
  retention(): { retentionDays: number; oldestKeptDay: string | null } {
    return { retentionDays: this.config.retentionDays, oldestKeptDay: this.oldestKeptDayStart()?.toISOString().slice(0, 10) ?? null };
  }

  /** When the oldest day still held begins, as of the last maintenance. */
  oldestKeptDayStart(): Date | null {
    return this.oldestDay === null ? null : dayStart(this.oldestDay);
  }

  /**
   * Makes sure the partitions for these rows' days exist. Days past retention are left alone: their
   * rows are refused by the database (and counted by the writer), as retention would drop them.
   */
  async prepareFor(createdAt: readonly Date[]): Promise<void> {
    let missing: Set<DayNumber> | undefined;
    for (const time of createdAt) {
      const day = dayOf(time.getTime());
      if (!this.prepared.has(day)) (missing ??= new Set()).add(day);
    }
    if (!missing) return;
    const now = this.now();
    const days = [...missing].filter((day) => isWithinRetention(day, now, this.config.retentionDays));
    if (days.length === 0) return;
    await this.locked((manager) => this.create(manager, days));
    for (const day of days) {
      this.prepared.add(day);
      // A day older than the oldest kept at the last maintenance (a late or backfilled row) is kept
      // from now on: counting from the old oldest day would leave its rows out of /executions' total.
      if (this.oldestDay !== null && day < this.oldestDay) this.oldestDay = day;
    }
  }

  /** Creates the days ahead, drops expired partitions and prunes old rollups. */
  async maintain(): Promise<void> {
    const now = this.now();
    const ahead = daysToPrepare(now, DAYS_AHEAD);
    let oldestDay: DayNumber | null = null;
    const dropped: DayNumber[] = [];
    await this.locked(async (manager) => {
      await this.create(manager, ahead);
      const existing = await this.partitionNames(manager);
      const expired = this.config.retentionDays === 0 ? [] : expiredPartitions(existing, now, this.config.retentionDays);
      for (const name of expired) {
        await manager.query(`DROP TABLE IF EXISTS "${name}"`);
        dropped.push(partitionDay(name)!);
      }
      if (expired.length > 0) this.logger.log(`Dropped ${expired.length} execution log partition(s) past retention: ${expired.join(', ')}`);
      const kept = existing.filter((name) => !expired.includes(name)).map((name) => partitionDay(name)!);
      oldestDay = kept.length > 0 ? Math.min(...kept) : null;
      if (this.config.rollupRetentionDays > 0) {
        const cutoff = new Date(now - this.config.rollupRetentionDays * DAY_MS);
        await manager.query(`DELETE FROM "execution_log_rollups" WHERE "hour" < $1`, [cutoff.toISOString()]);
        // Days wholly before the cutoff: the day it falls in stays until all of it has passed.
        await manager.query(`DELETE FROM "execution_log_daily_rollups" WHERE "day" < $1`, [
          new Date(Math.floor(cutoff.getTime() / DAY_MS) * DAY_MS).toISOString(),
        ]);
      }
    });
    // Only once committed: a rolled-back DDL must not leave the writer believing a partition exists.
    for (const day of ahead) this.prepared.add(day);
    for (const day of dropped) this.prepared.delete(day);
    this.oldestDay = oldestDay;
  }

  private async create(manager: EntityManager, days: readonly DayNumber[]): Promise<void> {
    for (const day of days) await manager.query(createPartitionStatement(day));
  }

  private async partitionNames(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ name: string }> = await manager.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"execution_logs"'::regclass`,
    );
    return rows.map((row) => row.name).filter((name) => partitionDay(name) !== null);
  }

  private locked(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '5s'`);
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      await work(manager);
    });
  }
}

/** The DDL of one day's partition; the migration uses it too for the days existing rows need. */
export function createPartitionStatement(day: DayNumber): string {
  const from = dayStart(day).toISOString();
  const to = dayStart(day + 1).toISOString();
  return `CREATE TABLE IF NOT EXISTS "${partitionName(day)}" PARTITION OF "execution_logs" FOR VALUES FROM ('${from}') TO ('${to}')`;
}
