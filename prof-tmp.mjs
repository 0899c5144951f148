import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
const root = process.cwd();
const helper = (role, port, extra = []) => new Promise((resolve) => { const c = fork(join(root, 'bench/servers.mjs'), [role, String(port), ...extra]); c.once('message', () => resolve(c)); });
const up = await helper('upstream', 19101); const id = await helper('identity', 19104);
const env = { ...process.env, PORT: '19103', HOST: '127.0.0.1', LOG_LEVEL: 'log', AUTH_MODE: 'introspection', IDENTITY_SERVICE_URL: 'http://127.0.0.1:19104', CREDENTIAL_SOURCES: process.env.SOURCES ?? 'identity,vault,environment', CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), OPENAI_BASE_URL: 'http://127.0.0.1:19101/v1', CATALOG_REFRESH_MS: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/integrations_bench', REDIS_URL: process.env.NOREDIS ? undefined : 'redis://127.0.0.1:6379', RATE_LIMIT_USER_RPM: '1000000', RATE_LIMIT_ORG_RPM: '10000000', RATE_LIMIT_USER_TPM: '100000000', BUDGET_USER_DAILY_USD: '100000', BUDGET_ORG_MONTHLY_USD: '1000000', OPENAI_API_KEY: 'sk-env-0123456789abcdef' };
for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
const gw = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), join(root, 'dist/apps/integrations/src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; i < 100; i++) { try { if ((await fetch('http://127.0.0.1:19103/health/ready')).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
let n = 0;
if (process.env.OFFSET) {
  for (let u = 1; u < 4000; u += 2) {
    const res = await fetch('http://127.0.0.1:19103/api/integrations/credentials/openai', { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer bench-token-${u}` }, body: JSON.stringify({ apiKey: `sk-bench-vault-${u}-0123456789` }) });
    if (res.status !== 200) { console.log('PUT', res.status, await res.text()); break; }
  }
}
const users = Number(process.env.USERS ?? 2000);
const step = Number(process.env.STEP ?? 1);
const body = JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'hi' }] } });
await autocannon({ url: 'http://127.0.0.1:19103/api/integrations/execute', method: 'POST', connections: 32, duration: 4, requests: [{ setupRequest: (q) => ({ ...q, headers: { 'content-type': 'application/json', authorization: `Bearer bench-token-${(n++ % users) * step + (process.env.OFFSET ? 1 : 0)}` }, body }) }] });
const r = await autocannon({ url: 'http://127.0.0.1:19103/api/integrations/execute', method: 'POST', connections: 32, duration: 6, requests: [{ setupRequest: (q) => ({ ...q, headers: { 'content-type': 'application/json', authorization: `Bearer bench-token-${(n++ % users) * step + (process.env.OFFSET ? 1 : 0)}` }, body }) }] });
console.log(JSON.stringify(process.env.LABEL), 'rps', Math.round(r.requests.average), 'non2xx', r.non2xx);
gw.kill('SIGINT'); await new Promise((res) => gw.once('exit', res)); up.kill(); id.kill();
