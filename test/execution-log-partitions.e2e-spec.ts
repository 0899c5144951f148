import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { PricingTable } from '@app/limits';
import {
  EXECUTION_LOG_MIGRATIONS,
  executionLogConfig,
  ExecutionLogEntity,
  ExecutionLogPartitions,
  ExecutionLogQuery,
  ExecutionLogWriter,
  type ExecutionLogConfig,
} from '@app/execution-log';
import { successfulChatRecord } from './support/execution-records.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

/** Only PostgreSQL takes rows by COPY from a stream; embedded PGlite runs its one statement on this thread. */
const itOnPostgres = process.env.DATABASE_URL?.startsWith('postgres') ? it : it.skip;

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A PGlite database of its own in a temporary folder: retention drops partitions no other suite may lose. */
async function embeddedDatabase(directory: string, migrations = EXECUTION_LOG_MIGRATIONS): Promise<DataSource> {
  const dataSource = new DataSource({
    ...dataSourceOptions({ kind: 'pglite', dataDir: directory }, migrations),
    entities: [ExecutionLogEntity],
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

async function partitionsOf(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> = await dataSource.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'execution_logs'::regclass ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

type ExecutionRecord = ReturnType<typeof successfulChatRecord>;

/**
 * Counts event-loop turns from now until `stop()`, and how many times one field of the records it
 * `watch`es is read in each: what the writer does in any one turn, seen from the records it reads.
 */
function fieldReadsPerTurn(field: 'requestId' | 'userId') {
  let turn = 0;
  let counting = true;
  const countTurn = () => {
    turn++;
    if (counting) setImmediate(countTurn);
  };
  setImmediate(countTurn);
  const perTurn = new Map<number, number>();
  return {
    perTurn,
    watch(record: ExecutionRecord): ExecutionRecord {
      const value = record[field];
      Object.defineProperty(record, field, {
        enumerable: true,
        get: () => {
          perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
          return value;
        },
      });
      return record;
    },
    stop() {
      counting = false;
    },
  };
}

function config(overrides: Partial<ExecutionLogConfig>): ExecutionLogConfig {
  return {
    batchSize: 100,
    flushIntervalMs: 60_000,
    maxQueueSize: 1000,
    retentionDays: 0,
    rollupRetentionDays: 0,
    rollupMergeIntervalMs: 60_000,
    ...overrides,
  };
}

describe('partitioned execution log (embedded PGlite)', () => {
  let directory: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'execution-log-partitions-'));
    // The schema as it was before partitioning, with rows on two days.
    const before = await embeddedDatabase(directory, EXECUTION_LOG_MIGRATIONS.slice(0, 3));
    for (const [requestId, createdAt, cached] of [
      ['old-1', '2026-03-01T10:15:00Z', false],
      ['old-2', '2026-03-01T10:45:00Z', true],
      ['old-3', '2026-03-02T23:59:59.999Z', false],
    ] as const) {
      await before.query(
        `INSERT INTO execution_logs (request_id, user_id, org_id, provider, operation, model, duration_ms, prompt_tokens,
           completion_tokens, total_tokens, success, cached, created_at)
         VALUES ($1, 'user-old', 'org-old', 'openai', 'chat.completions', 'gpt-4o-mini', 40, 10, 5, 15, true, $2, $3)`,
        [requestId, cached, createdAt],
      );
    }
    await before.destroy();
    dataSource = await embeddedDatabase(directory);
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps existing rows through the migration, each in its day, and folds them into rollups', async () => {
    const [{ kind }] = await dataSource.query(`SELECT relkind AS kind FROM pg_class WHERE relname = 'execution_logs'`);
    expect(kind).toBe('p');
    const rows: Array<{ partition: string; request_id: string }> = await dataSource.query(
      `SELECT tableoid::regclass::text AS partition, request_id FROM execution_logs ORDER BY request_id`,
    );
    expect(rows).toEqual([
      { partition: 'execution_logs_p20260301', request_id: 'old-1' },
      { partition: 'execution_logs_p20260301', request_id: 'old-2' },
      { partition: 'execution_logs_p20260302', request_id: 'old-3' },
    ]);
    const rollups = await dataSource.query(
      `SELECT hour, org_id, outcome, calls::int, prompt_tokens::int, duration_ms_sum::int, duration_ms_max FROM execution_log_rollups ORDER BY hour, outcome`,
    );
    expect(rollups).toEqual([
      {
        hour: new Date('2026-03-01T10:00:00Z'),
        org_id: 'org-old',
        outcome: 'cached',
        calls: 1,
        prompt_tokens: 10,
        duration_ms_sum: 40,
        duration_ms_max: 40,
      },
      {
        hour: new Date('2026-03-01T10:00:00Z'),
        org_id: 'org-old',
        outcome: 'ok',
        calls: 1,
        prompt_tokens: 10,
        duration_ms_sum: 40,
        duration_ms_max: 40,
      },
      {
        hour: new Date('2026-03-02T23:00:00Z'),
        org_id: 'org-old',
        outcome: 'ok',
        calls: 1,
        prompt_tokens: 10,
        duration_ms_sum: 40,
        duration_ms_max: 40,
      },
    ]);
    // The daily tier, filled from the hourly one by its own migration.
    const days = await dataSource.query(
      `SELECT day, outcome, calls::int, prompt_tokens::int FROM execution_log_daily_rollups ORDER BY day, outcome`,
    );
    expect(days).toEqual([
      { day: new Date('2026-03-01T00:00:00Z'), outcome: 'cached', calls: 1, prompt_tokens: 10 },
      { day: new Date('2026-03-01T00:00:00Z'), outcome: 'ok', calls: 1, prompt_tokens: 10 },
      { day: new Date('2026-03-02T00:00:00Z'), outcome: 'ok', calls: 1, prompt_tokens: 10 },
    ]);
  });

  it('creates the partition of a day the writer meets first, and refuses rows retention would drop', async () => {
    const now = Date.parse('2026-03-20T12:00:00Z');
    const settings = config({ retentionDays: 30 });
    const partitions = new ExecutionLogPartitions(dataSource, settings, () => now);
    const writer = new ExecutionLogWriter(dataSource, settings, partitions);
    writer.record(successfulChatRecord({ requestId: 'ten-days-ago', userId: 'user-writer', createdAt: new Date(now - 10 * DAY) }));
    writer.record(successfulChatRecord({ requestId: 'too-old', userId: 'user-writer', createdAt: new Date(now - 31 * DAY) }));
    await writer.flush();

    expect(writer.stats()).toMatchObject({ written: 1, rejected: 1 });
    const partitionNames = await partitionsOf(dataSource);
    expect(partitionNames).toContain('execution_logs_p20260310');
    expect(partitionNames).not.toContain('execution_logs_p20260217');
    const [{ partition }] = await dataSource.query(
      `SELECT tableoid::regclass::text AS partition FROM execution_logs WHERE request_id = 'ten-days-ago'`,
    );
    expect(partition).toBe('execution_logs_p20260310');
  });

  it('creates days ahead, drops whole partitions past retention and prunes rollups past theirs', async () => {
    let now = Date.parse('2026-04-01T08:00:00Z');
    const partitions = new ExecutionLogPartitions(dataSource, config({ retentionDays: 30, rollupRetentionDays: 45 }), () => now);

    await partitions.maintain();
    // 30 days before is Mar 2 08:00: all of Mar 1 is older, so it is gone; Mar 2 still holds younger rows.
    expect(await partitionsOf(dataSource)).toEqual([
      'execution_logs_p20260302',
      'execution_logs_p20260310',
      'execution_logs_p20260331',
      'execution_logs_p20260401',
      'execution_logs_p20260402',
      'execution_logs_p20260403',
    ]);
    expect(partitions.retention()).toEqual({ retentionDays: 30, oldestKeptDay: '2026-03-02' });
    expect(await dataSource.query(`SELECT request_id FROM execution_logs WHERE request_id LIKE 'old-%'`)).toEqual([
      { request_id: 'old-3' },
    ]);
    // Rollups outlive raw rows.
    const [{ count: rollupsKept }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM execution_log_rollups WHERE org_id = 'org-old'`,
    );
    expect(rollupsKept).toBe(3);

    now = Date.parse('2026-04-16T08:00:00Z');
    await partitions.maintain();
    expect(await partitionsOf(dataSource)).not.toContain('execution_logs_p20260302');
    const hours = await dataSource.query(`SELECT hour FROM execution_log_rollups WHERE org_id = 'org-old' ORDER BY hour`);
    expect(hours).toEqual([{ hour: new Date('2026-03-02T23:00:00Z') }]);
    // A day's rollup goes once the whole day is past the cutoff (Mar 2 08:00): Mar 1 is gone, Mar 2 stays.
    const days = await dataSource.query(`SELECT day FROM execution_log_daily_rollups WHERE org_id = 'org-old' ORDER BY day`);
    expect(days).toEqual([{ day: new Date('2026-03-02T00:00:00Z') }]);
  });

  it('loses no rollup of a batch written while a merge runs on the one embedded connection', async () => {
    const settings = config({ batchSize: 10 });
    const writer = new ExecutionLogWriter(dataSource, settings, new ExecutionLogPartitions(dataSource, settings));
    const calls = async () => {
      const [{ rollups }] = await dataSource.query(
        `SELECT (SELECT COALESCE(sum(calls), 0) FROM execution_log_rollups WHERE user_id = 'user-merging')
          + (SELECT COALESCE(sum(calls), 0) FROM execution_log_rollup_pending WHERE user_id = 'user-merging') AS rollups`,
      );
      return Number(rollups);
    };
    const record = (index: number) =>
      writer.record(
        successfulChatRecord({ requestId: `merging-${index}`, userId: 'user-merging', createdAt: new Date('2026-03-20T10:00:00Z') }),
      );
    for (let index = 0; index < 10; index++) record(index);
    await writer.flush();
    // Batches are written one after another while merges run: the statements of both go through PGlite's single session.
    let written = 10;
    for (let round = 0; round < 5; round++) {
      let merged = false;
      const merging = writer.mergeRollups().finally(() => (merged = true));
      for (let batch = 0; batch < 20 && !merged; batch++) {
        record(written++);
        await writer.flush();
      }
      await merging;
    }
    await writer.mergeRollups();
    expect(await calls()).toBe(written);
    const [{ pending }] = await dataSource.query(`SELECT count(*)::int AS pending FROM execution_log_rollup_pending`);
    expect(pending).toBe(0);
  });

  it('counts rows the writer puts in a day older than any partition at the last maintenance', async () => {
    const now = Date.parse('2026-04-16T08:00:00Z');
    const settings = config({});
    const partitions = new ExecutionLogPartitions(dataSource, settings, () => now);
    await partitions.maintain();
    // Maintenance keeps at least the days ahead of now: all after the late row's day.
    expect(partitions.retention().oldestKeptDay! > '2025-01-10').toBe(true);

    // A late row (a backfill, a clock behind) for a day no partition holds yet.
    const writer = new ExecutionLogWriter(dataSource, settings, partitions);
    writer.record(successfulChatRecord({ requestId: 'late-row', userId: 'user-late', createdAt: new Date('2025-01-10T12:00:00Z') }));
    await writer.flush();

    const query = new ExecutionLogQuery(dataSource.getRepository(ExecutionLogEntity), partitions);
    const page = await query.find({ scope: { userId: 'user-late' }, limit: 10, offset: 0 });
    expect({ total: page.total, requestIds: page.items.map((item) => item.requestId) }).toEqual({ total: 1, requestIds: ['late-row'] });
    expect(partitions.retention().oldestKeptDay).toBe('2025-01-10');
  });
});

describe('usage from rollups (PostgreSQL or the suite database)', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    // Merges only when a test asks for one.
    gateway = await startTestApp({
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
      EXECUTION_LOG_BATCH_SIZE: '3500',
      EXECUTION_LOG_ROLLUP_MERGE_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  /** Calls spread over five hours (or `spanMs`): three users, two providers, cached answers and failures. */
  async function seed(orgId: string, start: number, spanMs = 5 * HOUR): Promise<void> {
    const writer = gateway.app.get(ExecutionLogWriter);
    for (let index = 0; index < 300; index++) {
      const failed = index % 7 === 0;
      writer.record(
        successfulChatRecord({
          requestId: `${orgId}-${index}`,
          userId: `${orgId}-user-${index % 3}`,
          orgId,
          provider: index % 2 === 0 ? 'openai' : 'anthropic',
          model: index % 2 === 0 ? 'gpt-4o-mini' : index % 5 === 0 ? null : 'claude-3-5-haiku-latest',
          durationMs: 10 + (index % 50),
          promptTokens: failed ? null : 10 + (index % 13),
          completionTokens: failed ? null : 3 + (index % 11),
          totalTokens: failed ? null : 13 + (index % 13) + (index % 11),
          success: !failed,
          errorCode: failed ? 'RATE_LIMITED' : null,
          cached: !failed && index % 10 === 3,
          createdAt: new Date(start + ((index * 61_000 * Math.ceil(spanMs / (5 * HOUR))) % spanMs)),
        }),
      );
    }
    await gateway.flushExecutionLog();
  }

  it('equals the raw-row aggregation over a range that starts and ends mid-hour', async () => {
    const orgId = uniqueId('org');
    const start = Date.parse('2026-02-10T08:00:00Z');
    await seed(orgId, start);
    const query = gateway.app.get(ExecutionLogQuery);
    const filter = { scope: { orgId }, from: new Date(start + 17 * 60_000), to: new Date(start + 4 * HOUR + 23 * 60_000) };

    const fromRollups = await query.usage(filter);
    const fromRawRows = await query.usageFromRawRows(filter);
    expect(fromRollups.length).toBeGreaterThan(3);
    expect(fromRollups).toEqual(fromRawRows);
    for (const narrowed of [
      { ...filter, userId: `${orgId}-user-1` },
      { ...filter, provider: 'anthropic' },
      { ...filter, to: new Date(start + 30 * 60_000) },
    ]) {
      expect(await query.usage(narrowed)).toEqual(await query.usageFromRawRows(narrowed));
    }

    const response = await request(gateway.server)
      .get('/api/integrations/usage')
      .query({ from: filter.from.toISOString(), to: filter.to.toISOString() })
      .set(authAs(`${orgId}-user-0`, { orgId, orgRole: 'admin' }))
      .expect(200);
    const calls = fromRawRows.reduce((sum, row) => sum + row.calls, 0);
    expect(response.body.totals.calls).toBe(calls);
    const openai = response.body.items.find(
      (item: { provider: string; userId: string }) => item.provider === 'openai' && item.userId === `${orgId}-user-0`,
    );
    expect(openai).toMatchObject({ model: 'gpt-4o-mini', cachedCalls: expect.any(Number), estimatedCostUsd: expect.any(Number) });
  });

  it('reads whole hours from the rollups, not from raw rows', async () => {
    const orgId = uniqueId('org');
    const start = Date.parse('2026-02-11T08:00:00Z');
    await seed(orgId, start);
    // Raw rows of one whole hour disappear (as if retention had taken them); the rollups remain.
    await gateway.dataSource.query(`DELETE FROM execution_logs WHERE org_id = $1 AND created_at >= $2 AND created_at < $3`, [
      orgId,
      new Date(start + HOUR),
      new Date(start + 2 * HOUR),
    ]);
    const query = gateway.app.get(ExecutionLogQuery);
    const filter = { scope: { orgId }, from: new Date(start), to: new Date(start + 5 * HOUR) };
    const total = (rows: Array<{ calls: number }>) => rows.reduce((sum, row) => sum + row.calls, 0);

    expect(total(await query.usage(filter))).toBe(300);
    expect(total(await query.usageFromRawRows(filter))).toBeLessThan(300);
  });

  it('equals the raw-row aggregation over days, whole days read from the daily rollups', async () => {
    const orgId = uniqueId('org');
    const start = Date.parse('2026-02-16T00:00:00Z');
    await seed(orgId, start, 4 * DAY);
    const query = gateway.app.get(ExecutionLogQuery);
    const filter = {
      scope: { orgId },
      from: new Date(start + 5 * HOUR + 17 * 60_000),
      to: new Date(start + 3 * DAY + 7 * HOUR + 23 * 60_000),
    };
    const total = (rows: Array<{ calls: number }>) => rows.reduce((sum, row) => sum + row.calls, 0);

    const fromRawRows = await query.usageFromRawRows(filter);
    expect(total(fromRawRows)).toBeGreaterThan(150);
    expect(await query.usage(filter)).toEqual(fromRawRows);
    expect(await query.usage({ ...filter, provider: 'openai' })).toEqual(await query.usageFromRawRows({ ...filter, provider: 'openai' }));

    // Raw rows and hourly rollups of the whole second day disappear: the daily rollup still answers for it.
    await gateway.app.get(ExecutionLogWriter).mergeRollups();
    const day = [orgId, new Date(start + DAY), new Date(start + 2 * DAY)];
    await gateway.dataSource.query(`DELETE FROM execution_logs WHERE org_id = $1 AND created_at >= $2 AND created_at < $3`, day);
    await gateway.dataSource.query(`DELETE FROM execution_log_rollups WHERE org_id = $1 AND hour >= $2 AND hour < $3`, day);
    expect(total(await query.usage(filter))).toBe(total(fromRawRows));
    expect(total(await query.usageFromRawRows(filter))).toBeLessThan(total(fromRawRows));

    // /executions counts whole days from the daily rollups too.
    const page = await request(gateway.server)
      .get('/api/integrations/executions')
      .query({ from: filter.from.toISOString(), to: filter.to.toISOString(), limit: 5 })
      .set(authAs(`${orgId}-user-0`, { orgId, orgRole: 'admin' }))
      .expect(200);
    expect(page.body.total).toBe(total(fromRawRows));

    // Day buckets of /usage/series come from the daily rollups: the second day still has its calls.
    const series = await request(gateway.server)
      .get('/api/integrations/usage/series')
      .query({ from: new Date(start).toISOString(), to: new Date(start + 4 * DAY).toISOString(), bucket: 'day', groupBy: 'provider' })
      .set(authAs(`${orgId}-user-0`, { orgId, orgRole: 'admin' }))
      .expect(200);
    const perDay = [0, 1, 2, 3].map((index) =>
      series.body.series.reduce((sum: number, line: { points: Array<{ calls: number }> }) => sum + line.points[index].calls, 0),
    );
    expect(perDay.reduce((sum, calls) => sum + calls, 0)).toBe(300);
    expect(perDay[1]).toBeGreaterThan(50);
  });

  it('answers exactly from the rollups pending a merge, and a merge moves them into both tiers once', async () => {
    const orgId = uniqueId('org');
    const start = Date.parse('2026-02-20T00:00:00Z');
    await seed(orgId, start, 2 * DAY);
    const query = gateway.app.get(ExecutionLogQuery);
    const filter = { scope: { orgId }, from: new Date(start + 5 * HOUR + 17 * 60_000), to: new Date(start + DAY + 7 * HOUR + 23 * 60_000) };
    const sums = async () => {
      const [row] = await gateway.dataSource.query(
        `SELECT (SELECT COALESCE(sum(calls), 0)::int FROM execution_log_rollup_pending WHERE org_id = $1) AS pending,
          (SELECT COALESCE(sum(calls), 0)::int FROM execution_log_rollups WHERE org_id = $1) AS hourly,
          (SELECT COALESCE(sum(calls), 0)::int FROM execution_log_daily_rollups WHERE org_id = $1) AS daily`,
        [orgId],
      );
      return row as { pending: number; hourly: number; daily: number };
    };
    const fromRawRows = await query.usageFromRawRows(filter);
    const executionsTotal = async () =>
      (
        await request(gateway.server)
          .get('/api/integrations/executions')
          .query({ from: filter.from.toISOString(), to: filter.to.toISOString(), limit: 1 })
          .set(authAs(`${orgId}-user-0`, { orgId, orgRole: 'admin' }))
          .expect(200)
      ).body.total as number;

    // Written with their batch, the rollups wait for a merge; answers count them already.
    expect(await sums()).toEqual({ pending: 300, hourly: 0, daily: 0 });
    expect(await query.usage(filter)).toEqual(fromRawRows);
    const expectedTotal = fromRawRows.reduce((sum, row) => sum + row.calls, 0);
    expect(await executionsTotal()).toBe(expectedTotal);

    // Two replicas merge at once: every pending row lands once in each tier.
    const other = new ExecutionLogWriter(
      gateway.dataSource,
      gateway.app.get(executionLogConfig.token),
      gateway.app.get(ExecutionLogPartitions),
    );
    await Promise.all([gateway.app.get(ExecutionLogWriter).mergeRollups(), other.mergeRollups()]);
    expect(await sums()).toEqual({ pending: 0, hourly: 300, daily: 300 });
    expect(await query.usage(filter)).toEqual(fromRawRows);
    expect(await executionsTotal()).toBe(expectedTotal);

    // A writer that stops merges what it wrote: it leaves nothing pending.
    other.record(successfulChatRecord({ requestId: `${orgId}-last`, userId: `${orgId}-user-0`, orgId, createdAt: new Date(start + HOUR) }));
    await other.beforeApplicationShutdown();
    expect(await sums()).toEqual({ pending: 0, hourly: 301, daily: 301 });
  });

  it('prices only the calls that reached the provider: cached answers are counted, not billed', async () => {
    const orgId = uniqueId('org');
    const writer = gateway.app.get(ExecutionLogWriter);
    const createdAt = new Date('2026-02-12T08:30:00Z');
    const call = { userId: `${orgId}-user`, orgId, createdAt, promptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 };
    writer.record(successfulChatRecord({ ...call, requestId: `${orgId}-paid` }));
    writer.record(successfulChatRecord({ ...call, requestId: `${orgId}-cached`, cached: true }));
    await gateway.flushExecutionLog();

    const response = await request(gateway.server)
      .get('/api/integrations/usage')
      .query({ from: '2026-02-12T00:00:00Z', to: '2026-02-13T00:00:00Z' })
      .set(authAs(call.userId, { orgId, orgRole: 'owner' }))
      .expect(200);
    expect(response.body.items).toEqual([
      expect.objectContaining({ calls: 2, cachedCalls: 1, promptTokens: 2_000_000, estimatedCostUsd: expect.any(Number) }),
    ]);
    // One million prompt tokens at the model's input price (USD per million): the cached call adds nothing.
    const price = gateway.app.get(PricingTable).priceOf('gpt-4o-mini')!;
    expect(response.body.items[0].estimatedCostUsd).toBeCloseTo(price.input, 8);
  });

  it('inserts a row sent twice (its commit lost with the connection) once, and counts it once in the rollups', async () => {
    const orgId = uniqueId('org');
    const writer = gateway.app.get(ExecutionLogWriter);
    const record = successfulChatRecord({
      id: randomUUID(),
      requestId: `${orgId}-once`,
      userId: `${orgId}-user`,
      orgId,
      createdAt: new Date('2026-02-15T08:30:00Z'),
    });
    writer.record(record);
    await gateway.flushExecutionLog();
    writer.record(record);
    await gateway.flushExecutionLog();
    await writer.mergeRollups();

    const [{ rows }] = await gateway.dataSource.query('SELECT count(*)::int AS rows FROM execution_logs WHERE org_id = $1', [orgId]);
    const [{ calls }] = await gateway.dataSource.query('SELECT sum(calls)::int AS calls FROM execution_log_rollups WHERE org_id = $1', [
      orgId,
    ]);
    expect({ rows, calls }).toEqual({ rows: 1, calls: 1 });
  });

  itOnPostgres('writes a large batch a slice at a time, letting the event loop turn between slices', async () => {
    const orgId = uniqueId('org');
    const writer = gateway.app.get(ExecutionLogWriter);
    // Each record notes the turn its request id is read in (the writer reads it to write the row).
    const reads = fieldReadsPerTurn('requestId');
    for (let index = 0; index < 3000; index++) {
      writer.record(reads.watch(successfulChatRecord({ requestId: `${orgId}-${index}`, userId: `${orgId}-user`, orgId })));
    }
    await gateway.flushExecutionLog();
    reads.stop();
    const readsPerTurn = reads.perTurn;

    const [{ rows }] = await gateway.dataSource.query('SELECT count(*)::int AS rows FROM execution_logs WHERE org_id = $1', [orgId]);
    expect(rows).toBe(3000);
    // Read (fitted and written) over many turns, a few hundred at most in any one, not the whole batch at once.
    expect(readsPerTurn.size).toBeGreaterThan(10);
    expect(Math.max(...readsPerTurn.values())).toBeLessThanOrEqual(500);
  });

  itOnPostgres('folds a batch of many callers into rollups a slice at a time too, every call counted once', async () => {
    const orgId = uniqueId('org');
    const writer = gateway.app.get(ExecutionLogWriter);
    // A user per record: the batch folds to as many rollup rows as it has rows. Each record notes the
    // turns its user id is read in (by its row's COPY, and by the fold, which finds the record's
    // rollup row by it). Records already fitted to their columns, so the writer reads these objects.
    const reads = fieldReadsPerTurn('userId');
    for (let index = 0; index < 3000; index++) {
      const record = successfulChatRecord({ requestId: `${orgId}-${index}`, userId: `${orgId}-user-${index}`, orgId, cached: false });
      writer.record(reads.watch(record));
    }
    await gateway.flushExecutionLog();
    reads.stop();
    const userReadsPerTurn = reads.perTurn;
    await writer.mergeRollups();

    const [{ users, calls }] = await gateway.dataSource.query(
      'SELECT count(DISTINCT user_id)::int AS users, sum(calls)::int AS calls FROM execution_log_rollups WHERE org_id = $1',
      [orgId],
    );
    expect({ users, calls }).toEqual({ users: 3000, calls: 3000 });
    expect(userReadsPerTurn.size).toBeGreaterThan(10);
    expect(Math.max(...userReadsPerTurn.values())).toBeLessThanOrEqual(1000);
  });

  it('shows the retention and the oldest day still kept on /status/details', async () => {
    const response = await request(gateway.server)
      .get('/api/integrations/status/details')
      .set(authAs(uniqueId('user'), { roles: ['operator'] }))
      .expect(200);
    expect(response.body.executionLog).toMatchObject({ retentionDays: 0, oldestKeptDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it("counts an org's executions exactly, whole hours from rollups, with every filter", async () => {
    const orgId = uniqueId('org');
    const caller = authAs(`${orgId}-user-0`, { orgId, orgRole: 'admin' });
    const empty = await request(gateway.server).get('/api/integrations/executions').set(caller).expect(200);
    expect(empty.body).toMatchObject({ items: [], total: 0 });

    const start = Date.parse('2026-02-14T08:00:00Z');
    await seed(orgId, start);
    const rawCount = async (where: string, parameters: unknown[]) =>
      Number(
        (await gateway.dataSource.query(`SELECT count(*) AS n FROM execution_logs WHERE org_id = $1 ${where}`, [orgId, ...parameters]))[0]
          .n,
      );
    const from = new Date(start + 17 * 60_000).toISOString();
    const to = new Date(start + 4 * HOUR + 23 * 60_000).toISOString();
    const cases: Array<[Record<string, string>, string, unknown[]]> = [
      [{}, '', []],
      [{ from, to }, 'AND created_at >= $2 AND created_at < $3', [from, to]],
      [{ from, success: 'false' }, 'AND created_at >= $2 AND NOT success', [from]],
      [{ to, success: 'true', provider: 'anthropic' }, "AND created_at < $2 AND success AND provider = 'anthropic'", [to]],
      [
        { userId: `${orgId}-user-1`, operation: 'chat.completions' },
        "AND user_id = $2 AND operation = 'chat.completions'",
        [`${orgId}-user-1`],
      ],
    ];
    for (const [query, where, parameters] of cases) {
      const page = await request(gateway.server)
        .get('/api/integrations/executions')
        .query({ ...query, limit: 5 })
        .set(caller)
        .expect(200);
      expect({ query, total: page.body.total }).toEqual({ query, total: await rawCount(where, parameters) });
      expect(page.body.items.length).toBe(Math.min(5, page.body.total));
    }
  });
});
