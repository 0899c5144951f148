// npm run bench: the gateway against a raw node:http + undici pass-through, on loopback only, each
// phase bounded in time. Prints a table and writes bench/results/latest.json.
import { execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { Pool } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 3000);
const PORTS = { upstream: 19101, passthrough: 19102, gateway: 19103 };
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const TOKEN = jwt.sign({ sub: 'bench-user', orgId: 'bench-org' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });
const BODY = JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 32 } });
const PASSTHROUGH_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
const CLOCK_TICKS = 100; // USER_HZ on Linux

const targets = {
  passthrough: { url: `http://127.0.0.1:${PORTS.passthrough}`, path: '/', headers: { 'content-type': 'application/json' }, body: PASSTHROUGH_BODY },
  gateway: {
    url: `http://127.0.0.1:${PORTS.gateway}`,
    path: '/api/integrations/execute',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: BODY,
  },
};

/**
 * With two or more CPUs, the server under test (pass-through or gateway) gets CPU 0 to itself and
 * everything else (this process with its load generator, the mock upstream) shares CPU 1. Unpinned,
 * three busy processes on two vCPUs preempt one another mid-request, and the per-request CPU and
 * req/s figures swung by ±15% from run to run; pinned, both servers are measured on one whole core.
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

/** Runs `node args…` on the server core when pinning; children of this process otherwise share its CPU. */
function serverUnderTest(args, options) {
  return PINNED ? spawn('taskset', ['-c', '0', process.execPath, ...args], options) : spawn(process.execPath, args, options);
}

function startReference(role, port, extra = []) {
  return new Promise((resolve, reject) => {
    const args = [join(here, 'servers.mjs'), role, String(port), ...extra];
    const child = role === 'upstream' ? fork(args[0], args.slice(1), { stdio: 'inherit' }) : serverUnderTest(args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

async function startGateway() {
  const child = serverUnderTest([join(root, 'dist/apps/integrations/src/main.js')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(PORTS.gateway),
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.DATABASE_URL ?? 'memory',
      LOG_LEVEL: 'log', // per-call JSON lines on, as in production
      AUTH_MODE: 'jwt',
      JWT_SECRET,
      CREDENTIAL_SOURCES: 'environment',
      OPENAI_API_KEY: 'sk-bench-0123456789abcdef',
      OPENAI_BASE_URL: `http://127.0.0.1:${PORTS.upstream}/v1`,
      RATE_LIMIT_USER_RPM: '0',
    },
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${targets.gateway.url}/health/ready`);
      if (response.ok) return child;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('the gateway did not start');
}

function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

function peakRssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmHWM'));
  return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10;
}

async function throughput(target, pid) {
  await autocannon({ url: target.url + target.path, method: 'POST', headers: target.headers, body: target.body, connections: 32, duration: 2 }); // warm-up
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({ url: target.url + target.path, method: 'POST', headers: target.headers, body: target.body, connections: 32, duration: DURATION_S });
  const requests = result.requests.total;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    non2xx: result.non2xx + result.errors,
    cpuMicrosPerRequest: Math.round((cpuMicros(pid) - cpuBefore) / requests),
  };
}

/** One connection, one request at a time: exact per-request times, not histogram buckets. */
async function latency(target) {
  const pool = new Pool(target.url, { connections: 1 });
  const call = async () => {
    const response = await pool.request({ path: target.path, method: 'POST', headers: target.headers, body: target.body });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
  };
  for (let i = 0; i < 300; i++) await call();
  const times = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await pool.close();
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000) / 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Time to the first streamed chunk, through the gateway and straight from the upstream. */
async function timeToFirstChunk(url, path, headers, body) {
  const pool = new Pool(url, { connections: 1 });
  const samples = [];
  for (let i = 0; i < 220; i++) {
    const started = process.hrtime.bigint();
    const response = await pool.request({ path, method: 'POST', headers, body });
    let first;
    for await (const part of response.body) {
      if (first === undefined && part.toString('utf8').includes('Hel')) first = Number(process.hrtime.bigint() - started) / 1e6;
    }
    if (i >= 20) samples.push(first);
  }
  await pool.close();
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)] * 1000) / 1000;
}

async function logWriterRowsPerSecond() {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import(join(root, 'dist/libs/database/src/index.js'));
  const { ExecutionLogWriter, ExecutionLogEntity, ExecutionLogPartitions, EXECUTION_LOG_MIGRATIONS } = await import(join(root, 'dist/libs/execution-log/src/index.js'));
  const database = process.env.DATABASE_URL ? { kind: 'postgres', url: process.env.DATABASE_URL } : { kind: 'pglite', dataDir: null };
  const dataSource = new DataSource({ ...dataSourceOptions(database, EXECUTION_LOG_MIGRATIONS), entities: [ExecutionLogEntity] });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const rows = 50_000;
  const config = { batchSize: 500, flushIntervalMs: 60_000, maxQueueSize: rows, retentionDays: 0, rollupRetentionDays: 0 };
  const writer = new ExecutionLogWriter(dataSource, config, new ExecutionLogPartitions(dataSource, config));
  const started = performance.now();
  for (let i = 0; i < rows; i++) {
    writer.record({
      requestId: `bench-${i}`, userId: 'bench-writer', orgId: 'bench-org', provider: 'openai', operation: 'chat.completions', model: 'gpt-4o-mini',
      durationMs: 1, promptTokens: 19, completionTokens: 10, totalTokens: 29, success: true, errorCode: null, errorMessage: null,
      credentialSource: 'environment', credentialId: null, isProxy: false, createdAt: new Date(),
    });
  }
  await writer.flush();
  const seconds = (performance.now() - started) / 1000;
  await dataSource.query(`DELETE FROM execution_logs WHERE user_id = 'bench-writer'`);
  await dataSource.query(`DELETE FROM execution_log_rollups WHERE user_id = 'bench-writer'`);
  await dataSource.destroy();
  return { rows, rowsPerSecond: Math.round(rows / seconds), database: database.kind };
}

const upstream = await startReference('upstream', PORTS.upstream);
const passthrough = await startReference('passthrough', PORTS.passthrough, [`http://127.0.0.1:${PORTS.upstream}`]);
const gateway = await startGateway();
try {
  const results = { machine: { cpus: `${cpus().length} × ${cpus()[0]?.model}`, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, pinned: PINNED }, at: new Date().toISOString() };
  for (const [name, child] of [['passthrough', passthrough], ['gateway', gateway]]) {
    results[name] = { ...(await throughput(targets[name], child.pid)), ...(await latency(targets[name])), peakRssMb: peakRssMb(child.pid) };
  }
  const direct = await timeToFirstChunk(`http://127.0.0.1:${PORTS.upstream}`, '/v1/chat/completions', { 'content-type': 'application/json' }, JSON.stringify({ stream: true }));
  const viaGateway = await timeToFirstChunk(targets.gateway.url, targets.gateway.path, targets.gateway.headers, BODY.replace('"maxTokens":32', '"maxTokens":32,"stream":true'));
  results.streaming = { upstreamFirstChunkMs: direct, gatewayFirstChunkMs: viaGateway, addedMs: Math.round((viaGateway - direct) * 1000) / 1000 };
  results.logWriter = await logWriterRowsPerSecond();
  const p = results.passthrough;
  const g = results.gateway;
  results.ratios = {
    throughput: Math.round((g.requestsPerSecond / p.requestsPerSecond) * 100) / 100,
    addedP50Ms: Math.round((g.p50Ms - p.p50Ms) * 1000) / 1000,
    addedP99Ms: Math.round((g.p99Ms - p.p99Ms) * 1000) / 1000,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const row = (label, r) => `| ${label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.cpuMicrosPerRequest} | ${r.peakRssMb} | ${r.non2xx} |`;
  const placement = PINNED ? 'server under test pinned to CPU 0, load generator and mock upstream to CPU 1' : 'not pinned';
  console.log(`\nMachine: ${results.machine.cpus}, ${results.machine.memoryGb} GiB, Node ${results.machine.node}; ${placement}\n`);
  console.log('| server | req/s (32 conn) | p50 ms (1 conn) | p99 ms (1 conn) | CPU µs/req | peak RSS MB | errors |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(row('pass-through (node:http + undici)', p));
  console.log(row('gateway (auth + key + normalize + log)', g));
  console.log(`\nthroughput ratio gateway/pass-through: ${results.ratios.throughput}; added latency p50 ${results.ratios.addedP50Ms} ms, p99 ${results.ratios.addedP99Ms} ms`);
  console.log(`streaming: first chunk ${viaGateway} ms via gateway vs ${direct} ms direct (+${results.streaming.addedMs} ms)`);
  console.log(`execution log writer: ${results.logWriter.rowsPerSecond} rows/s into ${results.logWriter.database} (${results.logWriter.rows} rows)`);
} finally {
  for (const child of [gateway, passthrough, upstream]) child.kill('SIGTERM');
}
