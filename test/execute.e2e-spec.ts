import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiEmbeddings, openAiError } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const API_KEY = 'sk-proj-e2eTestKey0123456789abcdefXYZ';

describe('POST /api/integrations/execute against a fake OpenAI', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;
  let userId: string;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({ OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_API_KEY: API_KEY, OPENAI_TIMEOUT_MS: '400' });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  beforeEach(() => {
    userId = uniqueId('user');
  });

  const execute = (body: object, headers: Record<string, string> = {}) =>
    request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).set(headers).send(body);

  const chat = (params: object = {}) =>
    execute({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }], ...params } });

  it('returns the normalized response for a chat completion', async () => {
    upstream.reply(openAiChatCompletion({ content: 'Hello there', finishReason: 'length' }));

    const response = await chat({ maxTokens: 32, temperature: 0.3, topP: 0.9, stop: ['\n'] }).expect(200);

    expect(response.body).toEqual({
      success: true,
      data: {
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        content: 'Hello there',
        usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 },
        finishReason: 'length',
        metadata: {
          requestId: response.headers['x-request-id'],
          upstreamId: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
          upstreamRequestId: 'req_upstream_123',
          upstreamLatencyMs: expect.any(Number),
          systemFingerprint: 'fp_06737a9306',
          attempts: 1,
          estimatedCostUsd: 0.00000885,
        },
      },
      requestId: response.headers['x-request-id'],
      durationMs: expect.any(Number),
    });
  });

  it('sends OpenAI the snake_case body (maxTokens as max_completion_tokens), the default model and the key as a bearer token', async () => {
    upstream.reply(openAiChatCompletion());

    await chat({ maxTokens: 32, temperature: 0.3, topP: 0.9, stop: 'END', seed: 7 }).expect(200);

    const sent = upstream.lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      // OpenAI deprecated max_tokens; its reasoning and newer models refuse it.
      max_completion_tokens: 32,
      temperature: 0.3,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
    });
  });

  it('uses the model the caller names', async () => {
    upstream.reply(openAiChatCompletion({ model: 'gpt-4.1-2025-04-14' }));

    const response = await chat({ model: 'gpt-4.1' }).expect(200);

    expect((upstream.lastRequest().body as { model: string }).model).toBe('gpt-4.1');
    expect(response.body.data.model).toBe('gpt-4.1-2025-04-14');
  });

  it('returns embeddings for a batch, in input order, with usage', async () => {
    upstream.reply(
      openAiEmbeddings([
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ]),
    );

    const response = await execute({ provider: 'openai', operation: 'embeddings', params: { input: ['a', 'b', 'c'] } }).expect(200);

    expect(upstream.lastRequest().path).toBe('/v1/embeddings');
    expect(upstream.lastRequest().body).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b', 'c'], encoding_format: 'float' });
    expect(response.body.data).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      content: null,
      embeddings: [
        [0.1, 0.2],
        [0.3, 0.4],
        [0.5, 0.6],
      ],
      usage: { promptTokens: 8, completionTokens: 0, totalTokens: 8 },
      finishReason: 'stop',
    });
  });

  it('echoes an x-request-id the caller sends, and makes one up otherwise', async () => {
    upstream.reply(openAiChatCompletion());

    const supplied = await chat().set('x-request-id', 'runtime-trace-42').expect(200);
    const generated = await chat().expect(200);

    expect(supplied.headers['x-request-id']).toBe('runtime-trace-42');
    expect(supplied.body.data.metadata.requestId).toBe('runtime-trace-42');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('maps each upstream failure onto the taxonomy', () => {
    const cases = [
      {
        name: '401 invalid key',
        reply: openAiError(
          401,
          'Incorrect API key provided: sk-proj-***XYZ. You can find your API key at https://platform.openai.com.',
          'invalid_request_error',
          'invalid_api_key',
        ),
        status: 424,
        code: 'PROVIDER_AUTH_FAILED',
        retryable: false,
      },
      {
        name: '429 rate limit with retry-after',
        reply: openAiError(
          429,
          'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.',
          'requests',
          'rate_limit_exceeded',
          { 'retry-after': '20' },
        ),
        status: 429,
        code: 'PROVIDER_RATE_LIMITED',
        retryable: true,
      },
      {
        name: '429 insufficient quota',
        reply: openAiError(
          429,
          'You exceeded your current quota, please check your plan and billing details.',
          'insufficient_quota',
          'insufficient_quota',
        ),
        status: 429,
        code: 'PROVIDER_QUOTA_EXCEEDED',
        retryable: false,
      },
      {
        name: '400 context length',
        reply: openAiError(
          400,
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
          'invalid_request_error',
          'context_length_exceeded',
        ),
        status: 400,
        code: 'CONTEXT_LENGTH_EXCEEDED',
        retryable: false,
      },
      {
        name: '404 unknown model',
        reply: openAiError(
          404,
          'The model `gpt-9` does not exist or you do not have access to it.',
          'invalid_request_error',
          'model_not_found',
        ),
        status: 400,
        code: 'PROVIDER_BAD_REQUEST',
        retryable: false,
      },
      {
        name: '500 server error',
        reply: openAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null),
        status: 502,
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
      },
      {
        name: '503 with an HTML body',
        reply: { status: 503, body: '<html>Service Unavailable</html>' },
        status: 502,
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
      },
    ];

    it.each(cases)('$name → $code', async ({ reply, status, code, retryable }) => {
      upstream.reply(reply);

      const response = await chat().expect(status);

      expect(response.body).toMatchObject({ code, provider: 'openai', retryable, requestId: response.headers['x-request-id'] });
      expect(JSON.stringify(response.body)).not.toContain(API_KEY);
      expect(JSON.stringify(response.body)).not.toMatch(/sk-proj/);
    });
  });

  it('passes the rate limit wait on as retryAfterMs and a Retry-After header', async () => {
    upstream.reply(openAiError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded', { 'retry-after-ms': '1500' }));

    const response = await chat().expect(429);

    expect(response.body.retryAfterMs).toBe(1500);
    expect(response.headers['retry-after']).toBe('2');
  });

  it('answers 504 PROVIDER_TIMEOUT when the upstream is slower than the configured deadline', async () => {
    upstream.reply({ ...openAiChatCompletion(), delayMs: 2000 });

    const started = Date.now();
    const response = await chat().expect(504);

    expect(response.body).toMatchObject({ code: 'PROVIDER_TIMEOUT', provider: 'openai', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('answers 502 PROVIDER_INVALID_RESPONSE when a 200 reply is not JSON', async () => {
    upstream.reply({ status: 200, body: 'surprise' });

    const response = await chat().expect(502);

    expect(response.body.code).toBe('PROVIDER_INVALID_RESPONSE');
  });

  it('answers 502 PROVIDER_UNAVAILABLE when the upstream drops the connection', async () => {
    upstream.reply({ dropConnection: true });

    const response = await chat().expect(502);

    expect(response.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', error: 'Could not reach openai (connection closed)' });
  });

  it('records the provider outcome in the status endpoint', async () => {
    upstream.reply(openAiError(500, 'boom', 'server_error', null));
    await chat().expect(502);

    const status = await request(gateway.server)
      .get('/api/integrations/status/details')
      .set(authAs(userId, { roles: ['operator'] }))
      .expect(200);

    const openai = status.body.providers.find((provider: { name: string }) => provider.name === 'openai');
    expect(openai.lastErrorCode).toBe('PROVIDER_UNAVAILABLE');
    expect(openai.lastFailureAt).not.toBeNull();
    expect(openai.lastSuccessAt).not.toBeNull();
    expect(status.body.database).toMatchObject({ status: 'up' });
    expect(status.body.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

// Each app below runs alone: in-memory PGlite is one instance per process, so apps in one file must not overlap.
describe('execute when the upstream is not listening', () => {
  it('answers 502 PROVIDER_UNAVAILABLE (connection refused)', async () => {
    const closed = await FakeUpstream.start();
    const unreachableUrl = closed.url;
    await closed.stop();
    const gateway = await startTestApp({ OPENAI_BASE_URL: unreachableUrl, OPENAI_API_KEY: API_KEY });
    try {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs(uniqueId('user')))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } })
        .expect(502);
      expect(response.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', error: 'Could not reach openai (connection refused)' });
    } finally {
      await gateway.close();
    }
  });
});

describe('execute without a credential', () => {
  it('answers 424 CREDENTIAL_NOT_FOUND naming the provider, without calling the upstream', async () => {
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp({ OPENAI_BASE_URL: upstream.url });
    try {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs(uniqueId('user')))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } })
        .expect(424);
      expect(response.body).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', provider: 'openai' });
      expect(upstream.received).toHaveLength(0);
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});
