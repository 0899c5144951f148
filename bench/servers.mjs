// The two reference servers of the benchmark, each run as its own process so CPU and memory can be
// read per process: `node bench/servers.mjs upstream <port>` or `node bench/servers.mjs passthrough <port> <upstreamUrl>`.
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

const server = role === 'upstream' ? upstream() : passthrough();
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
