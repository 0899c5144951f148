// npm run bench:scale: the execution log at scale. Loads BENCH_SCALE_ROWS (default 10 million) rows
// spread over 30 days into a PostgreSQL database of its own with generate_series (kept between runs:
// a later run reuses the load), folds them into the hourly rollups, then times /usage and
// /executions through a running gateway and the batched writer (rows and rollups) into the loaded
// table. Loopback only; every phase is a fixed number of requests or rows. Prints a table and writes
// bench/results/scale.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { Pool } from 'undici';
import { startArguments } from './start-command.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 10_000_000);
const DAYS = 30;
const CHUNK = 1_000_000;
const SAMPLES = 200;
const DATABASE = 'integrations_bench_scale';
const SERVER_URL = process.env.BENCH_SCALE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DATABASE_URL = `${SERVER_URL}/${DATABASE}`;
const PORT = 19111;
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const ORG = 'bench-org-3';
/** An organization admin: sees the whole organization's usage and calls. */
const token = (userId, orgId) =>
  jwt.sign({ sub: userId, orgId, organizations: [{ id: orgId, role: 'admin' }] }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

const { DataSource } = await import('typeorm');
const { dataSourceOptions } = await import(join(root, 'dist/libs/database/src/index.js'));
const { EXECUTION_LOG_MIGRATIONS, ExecutionLogPartitions, ExecutionLogWriter, rollupUpsert } = await import(
  join(root, 'dist/libs/execution-log/src/index.js')
);

async function ensureDatabase() {
  const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
}

const timed = async (work) => {
  const started = performance.now();
  await work();
  return Math.round(performance.now() - started) / 1000;
};

/**
 * 20 orgs of 10 users, three providers with two models each, a fifth embeddings, 3 % failures with
 * three error codes, 5 % cached answers, rows evenly spread from `start` over 30 days.
 */
function loadStatement(first, last, start) {
  const stepMs = (DAYS * 86_400_000) / ROWS;
  return `INSERT INTO execution_logs (request_id, user_id, org_id, provider, operation, model, duration_ms, prompt_tokens,
      completion_tokens, total_tokens, success, error_code, error_message, credential_source, credential_id, is_proxy, cached, created_at)
    SELECT 'bench-' || g, 'bench-user-' || (g % 200), 'bench-org-' || (g % 200 / 10),
      (ARRAY['openai', 'anthropic', 'huggingface'])[1 + g % 3],
      CASE WHEN g % 5 = 0 THEN 'embeddings' ELSE 'chat.completions' END,
      (ARRAY['gpt-4o-mini', 'claude-3-5-haiku-latest', 'meta-llama/Llama-3.1-8B-Instruct', 'gpt-4.1-nano', 'claude-sonnet-4-20250514', 'Qwen/Qwen2.5-7B-Instruct'])[1 + g % 6],
      50 + (g::bigint * 7919) % 2000, 10 + g % 500, CASE WHEN g % 5 = 0 THEN 0 ELSE 5 + g % 300 END,
      10 + g % 500 + CASE WHEN g % 5 = 0 THEN 0 ELSE 5 + g % 300 END,
      g % 33 <> 0, CASE WHEN g % 33 = 0 THEN (ARRAY['PROVIDER_TIMEOUT', 'RATE_LIMITED', 'PROVIDER_ERROR'])[1 + g % 3] END,
      CASE WHEN g % 33 = 0 THEN 'upstream failed' END, 'environment', NULL, false, g % 33 <> 0 AND g % 20 = 7,
      '${new Date(start).toISOString()}'::timestamptz + (g - 1) * interval '${stepMs} milliseconds'
    FROM generate_series(${first}, ${last}) AS g`;
}

async function load(dataSource) {
  await dataSource.query(
    'CREATE TABLE IF NOT EXISTS bench_scale_load (rows bigint NOT NULL, start timestamptz NOT NULL, seconds real NOT NULL)',
  );
  const [previous] = await dataSource.query('SELECT rows::int AS rows, start, seconds FROM bench_scale_load');
  if (previous?.rows === ROWS) {
    console.log(`reusing ${ROWS} rows loaded earlier (delete the ${DATABASE} database to reload)`);
    return { start: previous.start.getTime(), loadSeconds: previous.seconds, reused: true };
  }
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - DAYS * 86_400_000;
  await dataSource.query('TRUNCATE execution_logs, execution_log_rollups, execution_log_daily_rollups, execution_log_rollup_pending, bench_scale_load');
  const partitions = new ExecutionLogPartitions(dataSource, { retentionDays: 0, rollupRetentionDays: 0 });
  await partitions.prepareFor(Array.from({ length: DAYS + 1 }, (_, day) => new Date(start + day * 86_400_000)));
  const seconds = await timed(async () => {
    for (let first = 1; first <= ROWS; first += CHUNK) {
      const last = Math.min(ROWS, first + CHUNK - 1);
      const chunkSeconds = await timed(() => dataSource.query(loadStatement(first, last, start)));
      console.log(`loaded rows ${first}–${last} in ${chunkSeconds} s`);
    }
    console.log(`hourly rollups built in ${await timed(() => dataSource.query(rollupUpsert('"execution_logs"', 'hourly')))} s`);
    console.log(`daily rollups built in ${await timed(() => dataSource.query(rollupUpsert('"execution_logs"', 'daily')))} s`);
    await dataSource.query('VACUUM ANALYZE execution_logs');
    await dataSource.query('VACUUM ANALYZE execution_log_rollups');
    await dataSource.query('VACUUM ANALYZE execution_log_daily_rollups');
  });
  await dataSource.query('INSERT INTO bench_scale_load (rows, start, seconds) VALUES ($1, $2, $3)', [ROWS, new Date(start), seconds]);
  return { start, loadSeconds: seconds, reused: false };
}

async function startGateway() {
  const child = spawn(process.execPath, startArguments(root), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATABASE_URL,
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'jwt',
      JWT_SECRET,
      CREDENTIAL_SOURCES: 'environment',
      EXECUTION_LOG_RETENTION_DAYS: '0',
      EXECUTION_LOG_ROLLUP_RETENTION_DAYS: '0',
      CATALOG_REFRESH_MS: '0',
    },
  });
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health/ready`)).ok) return child;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('the gateway did not start');
}

/** p50 and p99 of SAMPLES sequential GETs on one connection, after 10 warm-up calls. */
async function timeGet(path, authorization) {
  const pool = new Pool(`http://127.0.0.1:${PORT}`, { connections: 1 });
  const call = async () => {
    const response = await pool.request({ path, method: 'GET', headers: { authorization } });
    const body = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`${path}: HTTP ${response.statusCode} ${JSON.stringify(body)}`);
    return body;
  };
  for (let i = 0; i < 10; i++) await call();
  const times = [];
  let body;
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    body = await call();
    times.push(performance.now() - started);
  }
  await pool.close();
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100;
  return { p50Ms: at(0.5), p99Ms: at(0.99), body };
}

/** One writer, `rows` records queued at once, timed until all are in and their rollups merged; its rows deleted afterwards. */
async function writeRows(dataSource, rows, batchSize) {
  const config = { batchSize, flushIntervalMs: 60_000, maxQueueSize: rows, retentionDays: 0, rollupRetentionDays: 0, rollupMergeIntervalMs: 60_000 };
  const writer = new ExecutionLogWriter(dataSource, config, new ExecutionLogPartitions(dataSource, config));
  const models = ['gpt-4o-mini', 'gpt-4.1-nano', 'claude-3-5-haiku-latest'];
  const seconds = await timed(async () => {
    for (let i = 0; i < rows; i++) {
      writer.record({
        requestId: `bench-writer-${i}`,
        userId: `bench-writer-${i % 50}`,
        orgId: `bench-writer-org-${i % 5}`,
        provider: 'openai',
        operation: 'chat.completions',
        model: models[i % 3],
        durationMs: 100 + (i % 900),
        promptTokens: 19,
        completionTokens: 10,
        totalTokens: 29,
        success: i % 40 !== 0,
        errorCode: i % 40 === 0 ? 'PROVIDER_TIMEOUT' : null,
        errorMessage: null,
        credentialSource: 'environment',
        credentialId: null,
        isProxy: false,
        cached: i % 20 === 7,
        upstreamMs: 80,
        createdAt: new Date(),
      });
    }
    await writer.flush();
    await writer.mergeRollups();
  });
  await dataSource.query(`DELETE FROM execution_logs WHERE request_id LIKE 'bench-writer-%'`);
  await dataSource.query(`DELETE FROM execution_log_rollups WHERE user_id LIKE 'bench-writer-%'`);
  await dataSource.query(`DELETE FROM execution_log_daily_rollups WHERE user_id LIKE 'bench-writer-%'`);
  await dataSource.query('VACUUM execution_log_rollups, execution_log_daily_rollups');
  return Math.round(rows / seconds);
}

/** A warm-up batch (the writer's code compiled, the pool's connections open), then three timed runs: median and range. */
async function writerRowsPerSecond(dataSource) {
  const rows = 200_000;
  const batchSize = 3500;
  await writeRows(dataSource, 20_000, batchSize);
  const runs = [];
  for (let run = 0; run < 3; run++) runs.push(await writeRows(dataSource, rows, batchSize));
  const sorted = [...runs].sort((a, b) => a - b);
  return { rows, batchSize, rowsPerSecond: sorted[1], min: sorted[0], max: sorted[2], runs };
}

async function explain(dataSource, sql, parameters) {
  const plan = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, parameters);
  return plan.map((line) => line['QUERY PLAN']);
}

await ensureDatabase();
const dataSource = new DataSource({
  ...dataSourceOptions({ kind: 'postgres', url: DATABASE_URL }, EXECUTION_LOG_MIGRATIONS),
  logging: false,
});
await dataSource.initialize();
await dataSource.runMigrations({ transaction: 'each' });
const loaded = await load(dataSource);
// A previous run's writer phase deleted its rows: vacuum now, so autovacuum does not compete with the timed queries.
await dataSource.query('VACUUM ANALYZE execution_log_rollups');
await dataSource.query('VACUUM ANALYZE execution_log_daily_rollups');
await dataSource.query('VACUUM ANALYZE execution_logs');
const from = new Date(loaded.start).toISOString();
const to = new Date(loaded.start + DAYS * 86_400_000).toISOString();
const [{ total }] = await dataSource.query('SELECT count(*)::int AS total FROM execution_logs');
const [{ rollups }] = await dataSource.query('SELECT count(*)::int AS rollups FROM execution_log_rollups');
const [{ orgRollups }] = await dataSource.query(`SELECT count(*)::int AS "orgRollups" FROM execution_log_rollups WHERE org_id = $1`, [ORG]);
const [{ orgDailyRollups }] = await dataSource.query(
  `SELECT count(*)::int AS "orgDailyRollups" FROM execution_log_daily_rollups WHERE org_id = $1`,
  [ORG],
);

const gateway = await startGateway();
try {
  const orgAdmin = `Bearer ${token('bench-user-30', ORG)}`;
  const usage = await timeGet(`/api/integrations/usage?from=${from}&to=${to}`, orgAdmin);
  const usageMidHour = await timeGet(
    `/api/integrations/usage?from=${new Date(loaded.start + 1_234_567).toISOString()}&to=${new Date(loaded.start + DAYS * 86_400_000 - 2_345_678).toISOString()}`,
    orgAdmin,
  );
  const executions = await timeGet(
    `/api/integrations/executions?limit=50&provider=openai&operation=chat.completions&success=true&from=${from}&to=${to}`,
    orgAdmin,
  );
  const failures = await timeGet(`/api/integrations/executions?limit=50&success=false&userId=bench-user-31`, orgAdmin);
  const plans = {
    executions: await explain(
      dataSource,
      `SELECT * FROM execution_logs WHERE org_id = $1 AND provider = 'openai' AND operation = 'chat.completions' AND success AND created_at >= $2 AND created_at < $3 ORDER BY created_at DESC, id DESC LIMIT 50`,
      [ORG, from, to],
    ),
    usageDailyRollups: await explain(
      dataSource,
      `SELECT user_id, org_id, provider, model, sum(calls) FROM execution_log_daily_rollups WHERE day >= $1 AND day < $2 AND org_id = $3 GROUP BY 1, 2, 3, 4`,
      [from, to, ORG],
    ),
  };
  const writer = await writerRowsPerSecond(dataSource);
  const results = {
    machine: { cpus: `${cpus().length} × ${cpus()[0]?.model}`, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    at: new Date().toISOString(),
    data: {
      rows: total,
      days: DAYS,
      rollupRows: rollups,
      rollupRowsForOneOrg: orgRollups,
      dailyRollupRowsForOneOrg: orgDailyRollups,
      loadSeconds: loaded.loadSeconds,
      reused: loaded.reused,
    },
    usage30Days: { p50Ms: usage.p50Ms, p99Ms: usage.p99Ms, calls: usage.body.totals.calls },
    usage30DaysMidHourEdges: { p50Ms: usageMidHour.p50Ms, p99Ms: usageMidHour.p99Ms },
    executionsFiltered: { p50Ms: executions.p50Ms, p99Ms: executions.p99Ms, total: executions.body.total },
    executionsFailuresOfOneUser: { p50Ms: failures.p50Ms, p99Ms: failures.p99Ms },
    writer,
    plans,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/scale.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\n${total} rows over ${DAYS} days, ${rollups} rollup rows (${orgRollups} for ${ORG}; ${orgDailyRollups} daily); load ${loaded.loadSeconds} s${loaded.reused ? ' (earlier run)' : ''}\n`,
  );
  console.log('| query | p50 ms | p99 ms | target |');
  console.log('|---|---|---|---|');
  console.log(`| /usage, 30 days of one org (${usage.body.totals.calls} calls) | ${usage.p50Ms} | ${usage.p99Ms} | ≤ 50 ms p50 |`);
  console.log(`| /usage, 30 days starting and ending mid-hour | ${usageMidHour.p50Ms} | ${usageMidHour.p99Ms} | ≤ 50 ms p50 |`);
  console.log(`| /executions?limit=50, provider+operation+success+range | ${executions.p50Ms} | ${executions.p99Ms} | ≤ 20 ms p50 |`);
  console.log(`| /executions?limit=50, one user's failures | ${failures.p50Ms} | ${failures.p99Ms} | ≤ 20 ms p50 |`);
  console.log(
    `\nwriter with rollups into the loaded table: ${writer.rowsPerSecond} rows/s (median of ${writer.runs.join(', ')}; ${writer.rows} rows each, batches of ${writer.batchSize}); target ≥ 35,000`,
  );
  console.log(`\n/executions plan:\n  ${plans.executions.slice(0, 8).join('\n  ')}`);
} finally {
  gateway.kill('SIGTERM');
  await dataSource.destroy();
}
