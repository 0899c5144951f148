// npm run bench: the gateway, with everything a production deployment runs switched on, against a
// raw node:http + undici pass-through, on loopback only, each phase bounded in time. Three
// interleaved repetitions (pass-through, gateway, pass-through, gateway, …) give a median and a
// range; a labelled extra row runs the gateway on embedded PGlite. Prints a table, writes
// bench/results/latest.json and appends it to bench/results/history.jsonl. Method: bench/README.md.
import { execFileSync, fork, spawn } from 'node:child_process';
import { appendFileSync, createReadStream, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { Pool } from 'undici';
import { holdIdlePolling, idlePolicy } from './idle-policy.mjs';
import { startArguments } from './start-command.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Math.max(5, Number(process.env.BENCH_WARMUP_S ?? 5));
/**
 * The one-connection phase runs for this long, and for at least LATENCY_MIN_SAMPLES calls: long
 * enough to take in two of the gateway's execution-log rollup merges (every 5 s by default) and ten
 * of its batch writes (every second), whose database work shares this machine's cores. A window
 * shorter than the merge interval takes a merge in some runs and not in others, and its p99 then
 * says which (bench/README.md has the runs that showed it).
 */
const LATENCY_S = Math.max(10, Number(process.env.BENCH_LATENCY_S ?? 10));
const LATENCY_MIN_SAMPLES = 2000;
/** A bound on the phase's calls whatever the machine's speed. */
const LATENCY_MAX_SAMPLES = 200_000;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 0);
const SOAK_WARMUP_S = 60;
const CONNECTIONS = 32;
const USERS = 2000;
const PORTS = { upstream: 19101, passthrough: 19102, gateway: 19103, identity: 19104, floor: 19105 };
const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const BENCH_DATABASE = 'integrations_bench';
const BODY = JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 32 } });
const STREAM_BODY = BODY.replace('"maxTokens":32', '"maxTokens":32,"stream":true');
const PASSTHROUGH_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
const PASSTHROUGH_STREAM_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], stream: true });
const CLOCK_TICKS = 100; // USER_HZ on Linux
/** `default`: idle cores do what the machine's idle policy says; `poll`: they poll for the whole run (bench/idle-policy.mjs). */
const IDLE = process.env.BENCH_IDLE ?? 'default';
if (IDLE !== 'default' && IDLE !== 'poll') throw new Error(`BENCH_IDLE is 'default' or 'poll', not '${IDLE}'`);

/**
 * The Node.js release line production runs (.node-version, the Docker image's). A run on another
 * line measures another runtime, whose CPU per request differs (bench/README.md has the figures), so
 * it says so, at the start and under its table.
 */
const PRODUCTION_NODE_LINE = readFileSync(join(root, '.node-version'), 'utf8').trim().split('.')[0];
const OTHER_RUNTIME =
  process.versions.node.split('.')[0] === PRODUCTION_NODE_LINE
    ? null
    : `Node ${process.version} is not the production runtime (Node ${PRODUCTION_NODE_LINE}, .node-version); for that: PATH="$(bash scripts/ensure-node.sh):$PATH" npm run bench`;
if (OTHER_RUNTIME) console.warn(`bench: ${OTHER_RUNTIME}`);

/** Callers rotate over USERS tokens, so auth, credential and limit state is spread as in production. */
let nextUser = 0;
const nextToken = () => `bench-token-${nextUser++ % USERS}`;

const targets = {
  passthrough: { url: `http://127.0.0.1:${PORTS.passthrough}`, path: '/', body: PASSTHROUGH_BODY, streamBody: PASSTHROUGH_STREAM_BODY, authenticated: false },
  gateway: { url: `http://127.0.0.1:${PORTS.gateway}`, path: '/api/integrations/execute', body: BODY, streamBody: STREAM_BODY, authenticated: true },
  // The decided stack alone (bench/stack-floor.mjs): what NestJS, Fastify and undici cost before any feature.
  floor: { url: `http://127.0.0.1:${PORTS.floor}`, path: '/api/integrations/execute', body: BODY, streamBody: STREAM_BODY, authenticated: false },
};
const headersFor = (target) => ({ 'content-type': 'application/json', ...(target.authenticated ? { authorization: `Bearer ${nextToken()}` } : {}) });

/**
 * With two or more CPUs (and taskset), the server under test is pinned to CPU 0 and this process
 * with its load generator, the mock upstream and fake Identity to CPU 1. PostgreSQL and Redis are the
 * machine's own services and are left where the scheduler puts them (pinning them to CPU 1 measured
 * the same). Unpinned, busy processes preempt one another mid-request and the figures swing.
 */
const PINNED = cpus().length >= 2 && commandExists('taskset');
if (PINNED) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

function commandExists(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function serverUnderTest(args, options) {
  return PINNED ? spawn('taskset', ['-c', '0', process.execPath, ...args], options) : spawn(process.execPath, args, options);
}

function startHelper(role, port, extra = []) {
  return new Promise((resolve, reject) => {
    const script = join(here, 'servers.mjs');
    const child =
      role === 'passthrough'
        ? serverUnderTest([script, role, String(port), ...extra], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })
        : role === 'floor'
          ? serverUnderTest([join(here, 'stack-floor.mjs'), String(port), ...extra], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })
          : fork(script, [role, String(port), ...extra], { stdio: 'inherit' });
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

/**
 * The share of an idle core's time the host takes away, per core (bench/host-stalls.mjs): on a
 * shared virtual machine these pauses, not the servers, set much of the p99 at one connection.
 */
function hostStalls() {
  const cores = PINNED ? ['0', '1'] : [null];
  return Object.fromEntries(
    cores.map((core) => {
      const script = join(here, 'host-stalls.mjs');
      const output = core === null ? execFileSync(process.execPath, [script], { encoding: 'utf8' }) : execFileSync('taskset', ['-c', core, process.execPath, script], { encoding: 'utf8' });
      return [core === null ? 'any' : `cpu${core}`, JSON.parse(output)];
    }),
  );
}

async function postgresAvailable() {
  const client = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    // A fresh database every run: the execution log of earlier runs (millions of rows after a few)
    // would make each run write into bigger indexes than the one before, and runs incomparable.
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAvailable() {
  try {
    return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() === 'PONG';
  } catch {
    return false;
  }
}

/** The gateway as production runs it: Identity auth and keys, vault, Redis limits and budgets, logs to a file. */
async function startGateway(database, logFile, nodeFlags = []) {
  const env = {
    ...process.env,
    PORT: String(PORTS.gateway),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'log', // per-call JSON lines on, as in production, written to a file
    AUTH_MODE: 'introspection',
    IDENTITY_SERVICE_URL: `http://127.0.0.1:${PORTS.identity}`,
    CREDENTIAL_SOURCES: 'identity,vault,environment',
    CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    OPENAI_BASE_URL: `http://127.0.0.1:${PORTS.upstream}/v1`,
    CATALOG_REFRESH_MS: '0',
    // Limits and budgets checked on every call, through Redis, at values nothing reaches.
    RATE_LIMIT_USER_RPM: '1000000',
    RATE_LIMIT_USER_TPM: '100000000',
    RATE_LIMIT_ORG_RPM: '10000000',
    RATE_LIMIT_ORG_TPM: '1000000000',
    BUDGET_USER_DAILY_USD: '100000',
    BUDGET_ORG_MONTHLY_USD: '10000000',
  };
  delete env.DATABASE_URL;
  delete env.OPENAI_API_KEY;
  if (database.kind === 'postgres') env.DATABASE_URL = database.url;
  else env.PGLITE_DATA_DIR = database.dataDir;
  if (database.redis) env.REDIS_URL = 'redis://127.0.0.1:6379';
  const log = openSync(logFile, 'a');
  // BENCH_CPU_PROFILE=<dir>: the gateway writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child = serverUnderTest([...profile, ...nodeFlags, ...startArguments(root)], { stdio: ['ignore', log, 'inherit'], env });
  child.startedAt = performance.now();
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const response = await fetch(`${targets.gateway.url}/health/ready`);
      if (response.ok) return child;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('the gateway did not start');
}

/** Odd users have no key in Identity: each stores one in the gateway's vault, which then serves their calls. */
async function storeVaultKeys() {
  const pool = new Pool(targets.gateway.url, { connections: 8 });
  const puts = [];
  for (let n = 1; n < USERS; n += 2) {
    puts.push(
      pool
        .request({
          path: '/api/integrations/credentials/openai',
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer bench-token-${n}` },
          body: JSON.stringify({ apiKey: `sk-bench-vault-${n}-0123456789` }),
        })
        .then(async (response) => {
          await response.body.text();
          if (response.statusCode !== 200) throw new Error(`vault PUT: HTTP ${response.statusCode}`);
        }),
    );
  }
  await Promise.all(puts);
  await pool.close();
}

/**
 * Stops a server and settles once it has exited (SIGKILL after `graceMs`). A gateway must be gone
 * before its PGlite folder is removed: one whose files had been deleted under it spun in PGlite's WAL
 * flush on its pinned core past its SIGTERM, with the bench, its table printed, waiting on it.
 */
function stopped(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  return exited.finally(() => clearTimeout(timer));
}

function processCpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return 0; // exited meanwhile
  }
}

/** Every process whose command line starts with `name` (PostgreSQL's backends, Redis), by pid. */
function pidsOf(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (command.startsWith(name) || stat.includes(`(${name})`)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** CPU of a group of processes (a database server and its backends), summed over a phase. */
function cpuMeter(name) {
  const before = new Map(pidsOf(name).map((pid) => [pid, processCpuMicros(pid)]));
  return () => pidsOf(name).reduce((sum, pid) => sum + processCpuMicros(pid) - (before.get(pid) ?? 0), 0);
}

function peakRssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmHWM'));
  return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10;
}

function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS'));
  return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10;
}

function loadOptions(target) {
  // Only the gateway rotates tokens per request; the pass-through's request is fixed, so the load
  // generator (which shares a core with the helpers) spends no more on it than it must.
  const request = target.authenticated
    ? { requests: [{ setupRequest: (request) => ({ ...request, headers: headersFor(target), body: target.body }) }] }
    : { headers: headersFor(target), body: target.body };
  return { url: target.url + target.path, method: 'POST', connections: CONNECTIONS, ...request };
}

function load(target, seconds, extra = {}) {
  return autocannon({ ...loadOptions(target), duration: seconds, ...extra });
}

async function throughput(target, pid, database) {
  // Every user's token, key and counters are met at least twice before timing (on a slow machine 5 s
  // of load does not reach all of them), so the timed run measures the steady state with caches
  // at work, not each user's first call; then the time-based warm-up.
  if (target.authenticated) await autocannon({ ...loadOptions(target), amount: 2 * USERS });
  await load(target, WARMUP_S);
  const meters = { gateway: () => processCpuMicros(pid), postgres: database.kind === 'postgres' ? cpuMeter('postgres') : null, redis: database.redis ? cpuMeter('redis-server') : null };
  const gatewayBefore = meters.gateway();
  const result = await load(target, DURATION_S);
  const requests = result.requests.total;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    non2xx: result.non2xx + result.errors,
    cpuMicrosPerRequest: Math.round((meters.gateway() - gatewayBefore) / requests),
    databaseCpuMicrosPerRequest: meters.postgres ? Math.round(meters.postgres() / requests) : null,
    redisCpuMicrosPerRequest: meters.redis ? Math.round(meters.redis() / requests) : null,
  };
}

/**
 * One connection, one request at a time: exact per-request times, not histogram buckets; and the
 * server's CPU per call meanwhile (on a machine whose idle cores halt, several times its figure
 * under load: each call resumes on a core the host has used in between; bench/idle-policy.mjs).
 */
async function latency(target, pid) {
  const pool = new Pool(target.url, { connections: 1 });
  const call = async () => {
    const response = await pool.request({ path: target.path, method: 'POST', headers: headersFor(target), body: target.body });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
  };
  // Warmed up for as long as the load phases are (WARMUP_S), not a fixed number of calls: at one
  // connection a few hundred calls are well under a second, and both servers' first seconds of
  // sequential calls after a load phase are slower than their steady state.
  const warmUntil = performance.now() + WARMUP_S * 1000;
  for (let i = 0; i < 50_000 && performance.now() < warmUntil; i++) await call();
  const times = [];
  const cpuBefore = processCpuMicros(pid);
  const measureUntil = performance.now() + LATENCY_S * 1000;
  for (let i = 0; i < LATENCY_MAX_SAMPLES && (i < LATENCY_MIN_SAMPLES || performance.now() < measureUntil); i++) {
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const cpuMicrosPerRequestOneConnection = Math.round((processCpuMicros(pid) - cpuBefore) / times.length);
  await pool.close();
  times.sort((a, b) => a - b);
  const at = (q) => round3(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99), latencySamples: times.length, cpuMicrosPerRequestOneConnection };
}

/**
 * Median time to the first streamed chunk ("Hel") over 200 streams, one at a time, after streaming
 * load for WARMUP_S: the whole-answer load before it leaves the streaming path unwarmed, and 20
 * sequential streams (~0.5 s) measured V8 still compiling it (the gateway's first 200 streams after
 * whole-answer load were up to 0.3 ms slower than the next 200).
 */
async function timeToFirstChunk(target) {
  await load({ ...target, body: target.streamBody }, WARMUP_S);
  const pool = new Pool(target.url, { connections: 1 });
  const samples = [];
  for (let i = 0; i < 220; i++) {
    const started = process.hrtime.bigint();
    const response = await pool.request({ path: target.path, method: 'POST', headers: headersFor(target), body: target.streamBody });
    let first;
    for await (const part of response.body) {
      if (first === undefined && part.toString('utf8').includes('Hel')) first = Number(process.hrtime.bigint() - started) / 1e6;
    }
    if (i >= 20 && first !== undefined) samples.push(first);
  }
  await pool.close();
  return median(samples);
}

/**
 * `child`, a gateway started for the soak, at half the measured maximum: SOAK_WARMUP_S of that load
 * unsampled (every user's token, key and counters met, V8 done compiling), then SOAK_S seconds with
 * RSS every 5 s. A fresh process, because the gateway that just ran the full-load phases starts the soak with their heap,
 * which then shrinks (bench/README.md): that measured the load before, not the soak. RSS rises and
 * falls with V8's old generation, which grows to several times the live data between full
 * collections, so the drift compares the median of the first minute with the median of the last,
 * and the live heap after each full collection in the soak (V8's --trace-gc, in the gateway's log)
 * tells whether anything is kept: a leak raises it, the sawtooth does not.
 */
async function soak(child, requestsPerSecond, logFile) {
  const rate = Math.round(requestsPerSecond / 2);
  await storeVaultKeys();
  await load(targets.gateway, SOAK_WARMUP_S, { overallRate: rate });
  const samples = [];
  const timer = setInterval(() => samples.push({ atS: (samples.length + 1) * 5, rssMb: rssMb(child.pid) }), 5000);
  const from = performance.now() - child.startedAt;
  const result = await load(targets.gateway, SOAK_S, { overallRate: rate });
  const to = performance.now() - child.startedAt;
  clearInterval(timer);
  const minute = 12; // samples
  const first = median(samples.slice(0, minute).map((sample) => sample.rssMb));
  const last = median(samples.slice(-minute).map((sample) => sample.rssMb));
  const liveHeapMb = (await fullCollections(logFile))
    .filter((collection) => collection.atMs >= from && collection.atMs <= to)
    .map((collection) => collection.liveMb);
  return {
    seconds: SOAK_S,
    warmupS: SOAK_WARMUP_S,
    rate,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors,
    firstMinuteMedianMb: first,
    lastMinuteMedianMb: last,
    minMb: Math.min(...samples.map((s) => s.rssMb)),
    maxMb: Math.max(...samples.map((s) => s.rssMb)),
    driftPercent: round1(((last - first) / first) * 100),
    liveHeapAfterFullCollectionsMb: liveHeapMb,
    samples,
  };
}

/** V8's --trace-gc lines for full collections: when (ms since the isolate started) and the heap left after it. */
async function fullCollections(logFile) {
  const collections = [];
  // Read line by line: with the per-call log lines, a soak's log is hundreds of megabytes.
  for await (const line of createInterface({ input: createReadStream(logFile), crlfDelay: Infinity })) {
    if (!line.includes('Mark-Compact')) continue;
    const match = /\s(\d+) ms: Mark-Compact (?:\([a-z ]+\) )?[\d.]+ \([\d.]+\) -> ([\d.]+)/.exec(line);
    if (match) collections.push({ atMs: Number(match[1]), liveMb: Number(match[2]) });
  }
  return collections;
}

async function logWriterRowsPerSecond(url) {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import(join(root, 'dist/libs/database/src/index.js'));
  const { ExecutionLogWriter, ExecutionLogPartitions, EXECUTION_LOG_MIGRATIONS } = await import(join(root, 'dist/libs/execution-log/src/index.js'));
  const database = url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null };
  const dataSource = new DataSource({ ...dataSourceOptions(database, EXECUTION_LOG_MIGRATIONS), logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const rows = 100_000;
  const config = { batchSize: 2000, flushIntervalMs: 60_000, maxQueueSize: rows, retentionDays: 0, rollupRetentionDays: 0, rollupMergeIntervalMs: 60_000 };
  const writer = new ExecutionLogWriter(dataSource, config, new ExecutionLogPartitions(dataSource, config));
  // A warm-up pass first (the writer's code compiled, the pool's connections open), as bench:scale does.
  await writeRecords(writer, 20_000);
  const started = performance.now();
  await writeRecords(writer, rows);
  const seconds = (performance.now() - started) / 1000;
  await dataSource.query(`DELETE FROM execution_logs WHERE user_id LIKE 'bench-writer-%'`);
  await dataSource.query(`DELETE FROM execution_log_rollups WHERE user_id LIKE 'bench-writer-%'`);
  await dataSource.query(`DELETE FROM execution_log_daily_rollups WHERE user_id LIKE 'bench-writer-%'`);
  await dataSource.destroy();
  return { rows, rowsPerSecond: Math.round(rows / seconds), batchSize: config.batchSize, database: database.kind, withRollups: true };
}

/** Queues `rows` records at once, then waits until all are in and their rollups merged into both tiers. */
async function writeRecords(writer, rows) {
  for (let i = 0; i < rows; i++) {
    writer.record({
      requestId: `bench-${i}`, userId: `bench-writer-${i % 200}`, orgId: `bench-writer-org-${i % 20}`, provider: 'openai', operation: 'chat.completions',
      model: i % 2 ? 'gpt-4o-mini' : 'gpt-4.1-nano', durationMs: 100 + (i % 900), upstreamMs: 90 + (i % 900), promptTokens: 19, completionTokens: 10,
      totalTokens: 29, success: i % 40 !== 0, errorCode: i % 40 === 0 ? 'PROVIDER_TIMEOUT' : null, errorMessage: null, credentialSource: 'identity',
      credentialId: null, isProxy: false, cached: false, createdAt: new Date(),
    });
  }
  await writer.flush();
  await writer.mergeRollups();
}

/**
 * How the gateway's calls under limits were admitted over all its repetitions (warm-ups included):
 * checked in Redis, or from request slots leased ahead (gateway_limit_admissions_total).
 */
async function limitAdmissions() {
  const text = await (await fetch(`${targets.gateway.url}/metrics`)).text();
  const count = (decidedBy) => Number(new RegExp(`gateway_limit_admissions_total\\{decided_by="${decidedBy}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const [store, lease] = [count('store'), count('lease')];
  return { store, lease, leasedPercent: store + lease > 0 ? round1((100 * lease) / (store + lease)) : 0 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return round3(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
};
const round1 = (value) => Math.round(value * 10) / 10;
const round3 = (value) => Math.round(value * 1000) / 1000;
const spread = (values) => ({ median: median(values), min: round3(Math.min(...values)), max: round3(Math.max(...values)) });

async function measure(name, pid, database) {
  const target = targets[name];
  return { ...(await throughput(target, pid, database)), ...(await latency(target, pid)), firstChunkMs: await timeToFirstChunk(target) };
}

// --- the run -------------------------------------------------------------------------------------

const releaseIdlePolling = IDLE === 'poll' ? holdIdlePolling() : () => undefined;
const stallsBefore = hostStalls();
const postgres = await postgresAvailable();
const redis = await redisAvailable();
const primary = postgres ? { kind: 'postgres', url: `${POSTGRES_SERVER}/${BENCH_DATABASE}`, redis } : { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'bench-pglite-')), redis };
const logDirectory = mkdtempSync(join(tmpdir(), 'bench-logs-'));
const upstream = await startHelper('upstream', PORTS.upstream);
const identity = await startHelper('identity', PORTS.identity);
const passthrough = await startHelper('passthrough', PORTS.passthrough, [`http://127.0.0.1:${PORTS.upstream}`]);
// The stack floor: the same body through bare NestJS + Fastify + undici, pinned like the others.
const floor = await startHelper('floor', PORTS.floor, [`http://127.0.0.1:${PORTS.upstream}`]);
let gateway = await startGateway(primary, join(logDirectory, 'gateway.log'));
const children = () => [gateway, floor, passthrough, identity, upstream];
try {
  await storeVaultKeys();
  const runs = { passthrough: [], gateway: [], floor: [] };
  // The floor in every repetition too, next to the gateway's: measured once at the end it twice fell
  // in one of the machine's slow spells, and the gateway's CPU over it read 1.04 instead of ~2.
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    for (const [name, child] of [['passthrough', passthrough], ['gateway', gateway], ['floor', floor]]) {
      const result = await measure(name, child.pid, name === 'gateway' ? primary : { kind: 'none' });
      runs[name].push(result);
      console.log(`repetition ${repetition + 1}/${REPETITIONS} ${name}: ${JSON.stringify(result)}`);
    }
  }
  const summary = (list, key) => spread(list.map((run) => run[key]).filter((value) => value !== null));
  const summarize = (list) =>
    Object.fromEntries(
      ['requestsPerSecond', 'cpuMicrosPerRequest', 'cpuMicrosPerRequestOneConnection', 'databaseCpuMicrosPerRequest', 'redisCpuMicrosPerRequest', 'p50Ms', 'p99Ms', 'firstChunkMs', 'non2xx']
        .filter((key) => list.some((run) => run[key] !== null && run[key] !== undefined))
        .map((key) => [key, summary(list, key)]),
    );
  const ratios = runs.gateway.map((run, index) => ({
    throughput: round3(run.requestsPerSecond / runs.passthrough[index].requestsPerSecond),
    addedP50Ms: round3(run.p50Ms - runs.passthrough[index].p50Ms),
    addedP99Ms: round3(run.p99Ms - runs.passthrough[index].p99Ms),
    addedFirstChunkMs: round3(run.firstChunkMs - runs.passthrough[index].firstChunkMs),
    // The gateway's CPU per request over the bare stack's in the same repetition: µs per request move
    // with the machine's phase (the stack floor itself from 40 to 247 µs between runs), this much less.
    cpuOverStackFloor: round3(run.cpuMicrosPerRequest / runs.floor[index].cpuMicrosPerRequest),
    // What the bare stack adds to the first chunk on its own, in the same repetition: the part of
    // the gateway's that no feature of it can take back.
    stackFloorAddedFirstChunkMs: round3(runs.floor[index].firstChunkMs - runs.passthrough[index].firstChunkMs),
  }));
  const results = {
    machine: {
      cpus: `${cpus().length} × ${cpus()[0]?.model}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      productionNodeLine: Number(PRODUCTION_NODE_LINE),
      pinned: PINNED,
      idle: { ...idlePolicy(), polledForTheRun: IDLE === 'poll' },
      hostStalls: { before: stallsBefore },
    },
    at: new Date().toISOString(),
    setup: {
      database: primary.kind,
      redis,
      auth: 'Identity introspection (fake on 127.0.0.1, cached)',
      credentials: 'identity for even users, vault for odd users',
      users: USERS,
      logs: 'per-call JSON lines to a file',
      warmupS: WARMUP_S,
      durationS: DURATION_S,
      connections: CONNECTIONS,
      repetitions: REPETITIONS,
      latencySeconds: LATENCY_S,
    },
    passthrough: { ...summarize(runs.passthrough), peakRssMb: peakRssMb(passthrough.pid) },
    gateway: { ...summarize(runs.gateway), peakRssMb: peakRssMb(gateway.pid) },
    stackFloor: { ...summarize(runs.floor), peakRssMb: peakRssMb(floor.pid) },
    ratios: Object.fromEntries(['throughput', 'addedP50Ms', 'addedP99Ms', 'addedFirstChunkMs', 'cpuOverStackFloor', 'stackFloorAddedFirstChunkMs'].map((key) => [key, spread(ratios.map((ratio) => ratio[key]))])),
    runs,
  };
  results.gateway.cpuOverStackFloor = results.ratios.cpuOverStackFloor.median;
  results.gateway.limitAdmissions = await limitAdmissions();
  if (SOAK_S > 0) {
    await stopped(gateway);
    const soakLog = join(logDirectory, 'gateway-soak.log');
    gateway = await startGateway(primary, soakLog, ['--trace-gc']);
    results.soak = await soak(gateway, results.gateway.requestsPerSecond.median, soakLog);
  }
  if (postgres) {
    // The embedded default, as a labelled extra row: same setup, PGlite in a scratch folder.
    await stopped(gateway);
    const embedded = { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'bench-pglite-')), redis };
    gateway = await startGateway(embedded, join(logDirectory, 'gateway-pglite.log'));
    await storeVaultKeys();
    const run = await measure('gateway', gateway.pid, embedded);
    results.gatewayPglite = { ...run, peakRssMb: peakRssMb(gateway.pid) };
    await stopped(gateway);
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
  results.logWriter = await logWriterRowsPerSecond(postgres ? primary.url : undefined);
  // Measured with every server stopped: the gateway pinned to CPU 0 would otherwise be what the probe sees.
  await Promise.all(children().map((child) => stopped(child)));
  results.machine.hostStalls.after = hostStalls();

  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const { runs: _runs, ...history } = results;
  appendFileSync(join(here, 'results/history.jsonl'), `${JSON.stringify(history)}\n`);

  const range = (s) => (s ? `${s.median} (${s.min}–${s.max})` : '—');
  const row = (label, r) =>
    `| ${label} | ${range(r.requestsPerSecond)} | ${range(r.p50Ms)} | ${range(r.p99Ms)} | ${range(r.cpuMicrosPerRequest)} | ${range(r.databaseCpuMicrosPerRequest)} | ${range(r.firstChunkMs)} | ${r.peakRssMb} |`;
  const placement = PINNED ? 'server under test pinned to CPU 0; load generator, upstream and Identity on CPU 1; PostgreSQL and Redis unpinned' : 'not pinned';
  const { driver, haltPollNs, polledForTheRun } = results.machine.idle;
  const idle = polledForTheRun ? 'idle cores polling (BENCH_IDLE=poll)' : `idle cores as the machine has them (cpuidle ${driver ?? 'unknown'}${haltPollNs === null ? '' : `, guest_halt_poll_ns ${haltPollNs}`})`;
  console.log(`\nMachine: ${results.machine.cpus}, ${results.machine.memoryGb} GiB, Node ${results.machine.node}; ${placement}; ${idle}`);
  if (OTHER_RUNTIME) console.log(`Runtime: ${OTHER_RUNTIME}`);
  console.log(`Gateway: ${primary.kind}${redis ? ' + Redis' : ''}, Identity auth and keys (${USERS} users), vault, limits and budgets on, logs to a file; median (min–max) of ${REPETITIONS} interleaved runs\n`);
  console.log('| server | req/s (32 conn) | p50 ms (1 conn) | p99 ms (1 conn) | CPU µs/req | DB server CPU µs/req | first chunk ms | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(row('pass-through (node:http + undici)', results.passthrough));
  console.log(row(`gateway, everything on (${primary.kind})`, results.gateway));
  if (results.gatewayPglite) {
    const p = results.gatewayPglite;
    console.log(`| gateway, everything on (embedded PGlite, 1 run) | ${p.requestsPerSecond} | ${p.p50Ms} | ${p.p99Ms} | ${p.cpuMicrosPerRequest} | in process | ${p.firstChunkMs} | ${p.peakRssMb} |`);
  }
  const f = results.stackFloor;
  console.log(`| stack floor: bare NestJS + Fastify + undici relay | ${range(f.requestsPerSecond)} | ${range(f.p50Ms)} | ${range(f.p99Ms)} | ${range(f.cpuMicrosPerRequest)} | — | ${range(f.firstChunkMs)} | ${f.peakRssMb} |`);
  const r = results.ratios;
  console.log(`\nthroughput gateway/pass-through ${range(r.throughput)}; added p50 ${range(r.addedP50Ms)} ms, p99 ${range(r.addedP99Ms)} ms; first chunk ${range(r.addedFirstChunkMs)} ms`);
  console.log(`stack floor: ${round3(f.requestsPerSecond.median / results.passthrough.requestsPerSecond.median)} × the pass-through's throughput, ${f.cpuMicrosPerRequest.median} µs/req; the gateway's CPU per request ${range(r.cpuOverStackFloor)} × the stack floor's (per repetition); its first chunk ${range(r.stackFloorAddedFirstChunkMs)} ms over the pass-through's`);
  const stalls = (when) =>
    Object.entries(results.machine.hostStalls[when])
      .map(([core, probe]) => `${core} ${probe.stalledPercent} % (longest ${probe.longestMs} ms)`)
      .join(', ');
  console.log(
    `CPU µs per call at 1 connection (the p50/p99 phase): pass-through ${range(results.passthrough.cpuMicrosPerRequestOneConnection)}, gateway ${range(results.gateway.cpuMicrosPerRequestOneConnection)}, stack floor ${range(f.cpuMicrosPerRequestOneConnection)}`,
  );
  console.log(`host pauses on idle cores (a busy loop's time lost in gaps ≥ 0.5 ms): before ${stalls('before')}; after ${stalls('after')}`);
  const admissions = results.gateway.limitAdmissions;
  console.log(`limits: ${admissions.leasedPercent} % of calls admitted from slots leased ahead (${admissions.lease} of ${admissions.store + admissions.lease})`);
  console.log(`Redis CPU µs/req ${range(results.gateway.redisCpuMicrosPerRequest)}; execution-log writer ${results.logWriter.rowsPerSecond} rows/s with rollups (${results.logWriter.database}, batches of ${results.logWriter.batchSize})`);
  if (results.soak) {
    const { seconds, warmupS, rate, firstMinuteMedianMb, lastMinuteMedianMb, minMb, maxMb, driftPercent, non2xx, liveHeapAfterFullCollectionsMb: live } = results.soak;
    console.log(`soak (a fresh gateway, ${warmupS} s warm-up): ${seconds} s at ${rate} req/s, RSS median ${firstMinuteMedianMb} MB in the first minute → ${lastMinuteMedianMb} MB in the last (drift ${driftPercent} %; ${minMb}–${maxMb} MB), ${non2xx} not 2xx`);
    console.log(`soak: live heap after each of its ${live.length} full collections ${live.length ? `${live[0]} → ${live[live.length - 1]} MB (${Math.min(...live)}–${Math.max(...live)})` : '(none)'}`);
  }
} finally {
  await Promise.all(children().map((child) => stopped(child)));
  releaseIdlePolling();
  rmSync(logDirectory, { recursive: true, force: true });
  if (primary.kind === 'pglite') rmSync(primary.dataDir, { recursive: true, force: true });
}
