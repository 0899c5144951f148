import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { Fuzz } from './support/fuzz.js';
import { openAiChatCompletion, openAiEmbeddings } from './support/openai-replies.js';
import { anthropicMessage } from './support/provider-replies.js';
import { authAs, startTestApp, TEST_VAULT_KEY, tokenFor, type TestApp } from './support/test-app.js';

/**
 * The gateway's own fuzzer: seeded, bounded, over every surface a caller reaches (execute, /v1,
 * credentials, the log and usage queries, headers). Whatever arrives, the answer is never a 5xx,
 * every error is in the one shape with its x-request-id, and the process serves on with its memory
 * back near where it started.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = 600;

const validExecute = {
  provider: 'openai',
  operation: 'chat.completions',
  params: {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens: 16,
    temperature: 0.5,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  },
};
const validEmbeddings = { provider: 'openai', operation: 'embeddings', params: { input: ['a', 'b'] } };
const validV1Chat = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
  ],
  max_tokens: 16,
  tool_choice: 'auto',
  response_format: { type: 'json_object' },
};
const validV1Embeddings = { model: 'text-embedding-3-small', input: 'hello', encoding_format: 'base64' };
const validV1Responses = {
  model: 'anthropic/claude-3-5-sonnet-latest',
  instructions: 'Be brief',
  input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
  max_output_tokens: 16,
  tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
};
const validV1Messages = {
  model: 'openai/gpt-4o-mini',
  max_tokens: 16,
  system: 'Be brief',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  tools: [{ name: 'f', input_schema: { type: 'object' } }],
};

interface FuzzCase {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

function buildCase(fuzz: Fuzz): FuzzCase {
  const headers: Record<string, string> = fuzz.chance(0.9)
    ? authAs(`fuzz-user-${fuzz.int(20)}`, { orgId: fuzz.chance(0.5) ? 'fuzz-org' : undefined, roles: fuzz.chance(0.3) ? ['admin'] : [] })
    : {};
  if (fuzz.chance(0.1))
    headers.authorization = fuzz
      .pick(['Bearer', 'Bearer x.y.z', `Basic ${fuzz.string()}`, `Bearer ${tokenFor('fuzz-user')}x`])
      .replace(/[^\t\x20-\x7e]/g, '');
  if (fuzz.chance(0.1)) headers['x-org-id'] = fuzz.string().replace(/[^\t\x20-\x7e]/g, '') || 'x';
  if (fuzz.chance(0.05)) headers['x-on-behalf-of'] = 'someone';
  if (fuzz.chance(0.1)) headers['x-request-id'] = fuzz.string().replace(/[^\t\x20-\x7e]/g, '') || 'x';
  const surface = fuzz.int(10);
  const withBody = (path: string, valid: unknown): FuzzCase => {
    if (fuzz.chance(0.08))
      return {
        method: 'post',
        path,
        headers,
        rawBody: fuzz.pick(['{', '{"a":', 'null', '[]', '"text"', '{"provider":"openai"}}', '\u0000']),
      };
    return { method: 'post', path, headers, body: fuzz.chance(0.1) ? fuzz.json(4) : fuzz.mutate(fuzz.mutate(valid)) };
  };
  switch (surface) {
    case 0:
    case 1:
      return withBody('/api/integrations/execute', validExecute);
    case 2:
      return withBody('/api/integrations/execute', validEmbeddings);
    case 3:
      return withBody('/v1/chat/completions', validV1Chat);
    case 4:
      return withBody('/v1/embeddings', validV1Embeddings);
    case 8:
      return withBody('/v1/responses', validV1Responses);
    case 9:
      return withBody('/v1/messages', validV1Messages);
    case 5: {
      const provider = encodeURIComponent(fuzz.pick(['openai', 'anthropic', 'nope', fuzz.string().slice(0, 200).toWellFormed()]));
      if (fuzz.chance(0.5))
        return {
          method: 'delete',
          path: `/api/integrations/credentials/${provider}?scope=${encodeURIComponent(fuzz.pick(['user', 'org', fuzz.string().toWellFormed()]))}`,
          headers,
        };
      return {
        method: 'put',
        path: `/api/integrations/credentials/${provider}`,
        headers,
        body: fuzz.mutate({ apiKey: 'sk-proj-fuzzStoredKey012345', scope: 'user' }),
      };
    }
    default: {
      const route = fuzz.pick(['/api/integrations/executions', '/api/integrations/usage']);
      const fields = ['provider', 'operation', 'userId', 'from', 'to', 'limit', 'offset', 'success', 'constructor', 'x'];
      const query = Array.from({ length: 1 + fuzz.int(3) }, () => {
        const value = fuzz.pick([
          fuzz.string(),
          String(fuzz.number()),
          '-200000-01-01T00:00:00Z',
          '9223372036854775808',
          '2026-11-01T00:00:00Z',
          'true',
        ]);
        return `${fuzz.pick(fields)}=${encodeURIComponent(value.slice(0, 300).toWellFormed())}`;
      }).join('&');
      return { method: 'get', path: `${route}?${query}`, headers };
    }
  }
}

describe(`fuzzing every caller surface (seed ${SEED}, ${CASES} cases)`, () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply((received) => {
      if (received.path === '/v1/messages') return anthropicMessage();
      if (received.path.endsWith('/embeddings')) {
        const input = (received.body as { input?: unknown }).input;
        return openAiEmbeddings(Array.from({ length: Array.isArray(input) ? input.length : 1 }, () => [0.1, 0.2]));
      }
      return openAiChatCompletion();
    });
    gateway = await startTestApp({
      // Every provider at the fake: nothing a fuzzed call does may leave the machine.
      OPENAI_BASE_URL: upstream.url,
      ANTHROPIC_BASE_URL: upstream.url,
      HUGGINGFACE_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-fuzzServiceKey0123456',
      CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY,
      CREDENTIAL_SOURCES: 'vault,environment',
      MAX_REQUEST_BODY_BYTES: String(1024 * 1024),
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('answers every case below 500, errors in the one shape with x-request-id, and keeps serving', async () => {
    const fuzz = new Fuzz(SEED);
    const failures: string[] = [];
    const rssBefore = process.memoryUsage().rss;
    for (let index = 0; index < CASES; index++) {
      const fuzzCase = buildCase(fuzz);
      let call = request(gateway.server)[fuzzCase.method](fuzzCase.path).set(fuzzCase.headers);
      if (fuzzCase.rawBody !== undefined) call = call.set('content-type', 'application/json').send(fuzzCase.rawBody);
      else if (fuzzCase.body !== undefined) call = call.set('content-type', 'application/json').send(JSON.stringify(fuzzCase.body));
      const response = await call;
      const where = `case ${index} (seed ${SEED}): ${fuzzCase.method.toUpperCase()} ${fuzzCase.path.slice(0, 120)} → ${response.status}`;
      if (response.status >= 500) failures.push(`${where} ${JSON.stringify(response.body).slice(0, 300)}`);
      else if (!response.headers['x-request-id']) failures.push(`${where} without x-request-id`);
      else if (response.status >= 400) {
        const body = response.body as { success?: unknown; error?: unknown; code?: unknown; requestId?: unknown };
        // /v1 answers in its SDKs' own error shapes (OpenAI's, Anthropic's under /v1/messages), each with a message.
        const sdkShaped = fuzzCase.path.startsWith('/v1') && typeof (body.error as { message?: unknown } | undefined)?.message === 'string';
        const gatewayShaped =
          body.success === false &&
          typeof body.error === 'string' &&
          typeof body.code === 'string' &&
          body.requestId === response.headers['x-request-id'];
        if (!sdkShaped && !gatewayShaped) {
          failures.push(`${where} outside the error shape: ${JSON.stringify(response.body).slice(0, 300)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    await request(gateway.server).get('/health/live').expect(200);
    await request(gateway.server).post('/api/integrations/execute').set(authAs('fuzz-after')).send(validExecute).expect(200);
    // Bounded, not exact: the point is that nothing a caller sent is kept.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
