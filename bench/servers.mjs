// The benchmark's other servers, each its own process so CPU and memory can be read per process:
// `node bench/servers.mjs upstream <port>`, `node bench/servers.mjs passthrough <port> <upstreamUrl>`
// or `node bench/servers.mjs identity <port>` (a fake Identity service, per shared/contracts/identity.md).
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [role, port, upstreamUrl] = process.argv.slice(2);

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1732300000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
});

function chunk(content, finish = null) {
  return `data: ${JSON.stringify({ model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
}

/** A mock OpenAI: answers at once; streams send the first chunk at once and the rest 20 ms later. */
function upstream() {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (part) => (body += part));
    req.on('end', () => {
      if (body.includes('"stream":true')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk('Hel'));
        setTimeout(() => {
          res.write(chunk('lo!'));
          res.write(chunk(null, 'stop'));
          res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 19, completion_tokens: 2, total_tokens: 21 } })}\n\n`);
          res.end('data: [DONE]\n\n');
        }, 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(COMPLETION) });
      res.end(COMPLETION);
    });
  });
}

/** The floor for Node here: node:http in, undici out, bytes relayed untouched; no auth, no parsing. */
function passthrough() {
  const pool = new Pool(upstreamUrl, { connections: 256, pipelining: 1 });
  return createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const part of req) chunks.push(part);
      const upstreamResponse = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      res.writeHead(upstreamResponse.statusCode, { 'content-type': upstreamResponse.headers['content-type'] });
      for await (const part of upstreamResponse.body) res.write(part);
      res.end();
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
}

/**
 * A fake Identity: token `bench-token-<n>` belongs to user `bench-user-<n>` of organization
 * `bench-org-<n % 20>`; even users hold an OpenAI key in Identity, odd users do not (404: the
 * gateway falls through to its vault).
 */
function identity() {
  const json = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  };
  return createServer((req, res) => {
    let body = '';
    req.on('data', (part) => (body += part));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/auth/introspect') {
        const match = /^bench-token-(\d+)$/.exec(JSON.parse(body || '{}').token ?? '');
        if (!match) return json(res, 200, { active: false });
        const n = Number(match[1]);
        const now = Math.floor(Date.now() / 1000);
        return json(res, 200, {
          active: true, type: 'user', sub: `bench-user-${n}`, email: `bench-user-${n}@example.test`, name: `bench-user-${n}`, isSuperAdmin: false,
          organizations: [{ id: `bench-org-${n % 20}`, name: `bench-org-${n % 20}`, role: 'member' }], entitlements: [], roles: [],
          token_type: 'Bearer', iat: now, exp: now + 3600,
        });
      }
      const credential = /^\/api\/internal\/credentials\/bench-user-(\d+)\/openai$/.exec(req.url ?? '');
      if (req.method === 'GET' && credential) {
        const n = Number(credential[1]);
        if (n % 2 === 1) return json(res, 404, { message: 'Credential not found' });
        return json(res, 200, { apiKey: `sk-bench-identity-${n}-0123456789`, metadata: {}, credentialId: `cred-${n}`, isProxy: false, ownerId: `bench-user-${n}`, isOrgWide: false });
      }
      json(res, 404, { message: 'Not found' });
    });
  });
}

const server = role === 'upstream' ? upstream() : role === 'identity' ? identity() : passthrough();
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
