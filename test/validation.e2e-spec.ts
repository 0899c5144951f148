import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

describe('bad input gets a 400 with a stable code and the offending field, and never reaches the upstream', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-validation-test-key-000000' });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  const execute = (body: unknown) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(body as object);

  const chatWith = (params: unknown) => execute({ provider: 'openai', operation: 'chat.completions', params });

  const cases: Array<{ name: string; body: unknown; code: string; field: string }> = [
    { name: 'missing provider', body: { operation: 'chat.completions', params: {} }, code: 'VALIDATION_FAILED', field: 'provider' },
    {
      name: 'provider of the wrong type',
      body: { provider: 42, operation: 'chat.completions', params: {} },
      code: 'VALIDATION_FAILED',
      field: 'provider',
    },
    { name: 'missing params', body: { provider: 'openai', operation: 'chat.completions' }, code: 'VALIDATION_FAILED', field: 'params' },
    {
      name: 'params not an object',
      body: { provider: 'openai', operation: 'chat.completions', params: [1] },
      code: 'VALIDATION_FAILED',
      field: 'params',
    },
    {
      name: 'unknown top-level field',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }] }, apiKey: 'x' },
      code: 'VALIDATION_FAILED',
      field: 'apiKey',
    },
    {
      name: 'unknown provider',
      body: { provider: 'nonesuch', operation: 'chat.completions', params: {} },
      code: 'UNKNOWN_PROVIDER',
      field: 'provider',
    },
    {
      name: 'unknown operation',
      body: { provider: 'openai', operation: 'images.generate', params: {} },
      code: 'OPERATION_NOT_SUPPORTED',
      field: 'operation',
    },
    {
      name: 'missing messages',
      body: { provider: 'openai', operation: 'chat.completions', params: {} },
      code: 'VALIDATION_FAILED',
      field: 'params.messages',
    },
    {
      name: 'empty messages',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [] } },
      code: 'VALIDATION_FAILED',
      field: 'params.messages',
    },
    {
      name: 'messages not an array',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: 'hi' } },
      code: 'VALIDATION_FAILED',
      field: 'params.messages',
    },
    {
      name: 'unknown role',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'bot', content: 'x' }] } },
      code: 'VALIDATION_FAILED',
      field: 'params.messages.0.role',
    },
    {
      name: 'content of the wrong type',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 5 }] } },
      code: 'VALIDATION_FAILED',
      field: 'params.messages.0.content',
    },
    {
      name: 'maxTokens as a string',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }], maxTokens: '10' } },
      code: 'VALIDATION_FAILED',
      field: 'params.maxTokens',
    },
    {
      name: 'temperature out of range',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }], temperature: 3 } },
      code: 'VALIDATION_FAILED',
      field: 'params.temperature',
    },
    {
      name: 'misspelled parameter',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }], max_tokens: 10 } },
      code: 'VALIDATION_FAILED',
      field: 'params.max_tokens',
    },
    {
      name: 'stream on embeddings',
      body: { provider: 'openai', operation: 'embeddings', params: { input: 'x', stream: true } },
      code: 'VALIDATION_FAILED',
      field: 'params.stream',
    },
    {
      name: 'stream not a boolean',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }], stream: 'yes' } },
      code: 'VALIDATION_FAILED',
      field: 'params.stream',
    },
    {
      name: 'json_schema format without a name',
      body: {
        provider: 'openai',
        operation: 'chat.completions',
        params: { messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json_schema', jsonSchema: { schema: {} } } },
      },
      code: 'VALIDATION_FAILED',
      field: 'params.responseFormat.jsonSchema.name',
    },
    {
      name: 'json_object format with extra fields',
      body: {
        provider: 'openai',
        operation: 'chat.completions',
        params: { messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json_object', schema: {} } },
      },
      code: 'VALIDATION_FAILED',
      field: 'params.responseFormat.schema',
    },
    {
      name: 'logitBias out of range',
      body: {
        provider: 'openai',
        operation: 'chat.completions',
        params: { messages: [{ role: 'user', content: 'x' }], logitBias: { '50256': -200 } },
      },
      code: 'VALIDATION_FAILED',
      field: 'params.logitBias',
    },
    {
      name: 'embeddings without input',
      body: { provider: 'openai', operation: 'embeddings', params: {} },
      code: 'VALIDATION_FAILED',
      field: 'params.input',
    },
    {
      name: 'embeddings with numbers',
      body: { provider: 'openai', operation: 'embeddings', params: { input: [1, 2] } },
      code: 'VALIDATION_FAILED',
      field: 'params.input',
    },
  ];

  it.each(cases)('$name → $code on $field', async ({ body, code, field }) => {
    const response = await execute(body).expect(400);

    expect(response.body).toMatchObject({ code, field, retryable: false, requestId: response.headers['x-request-id'] });
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(response.body.error).toContain(field);
    expect(upstream.received).toHaveLength(0);
  });

  it('lists every offending field, not only the first', async () => {
    const response = await chatWith({ messages: [{ role: 'user', content: 'x' }], temperature: -1, topP: 2, foo: true }).expect(400);

    expect(response.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'params.temperature',
      'params.topP',
      'params.foo',
    ]);
  });

  it('answers 400 MALFORMED_REQUEST for a body that is not JSON', async () => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs('user-1'))
      .set('content-type', 'application/json')
      .send('{"provider": "openai",')
      .expect(400);

    expect(response.body).toMatchObject({ code: 'MALFORMED_REQUEST', requestId: expect.any(String) });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('answers 415 MALFORMED_REQUEST for a %s body', async (contentType) => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs('user-1'))
      .set('content-type', contentType)
      .send('provider=openai')
      .expect(415);

    expect(response.body).toMatchObject({ code: 'MALFORMED_REQUEST', error: 'Send the request body as application/json' });
  });

  it('answers 401 UNAUTHENTICATED without a caller', async () => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }] } })
      .expect(401);

    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 404 NOT_FOUND in the same error shape for an unknown route', async () => {
    const response = await request(gateway.server).get('/api/integrations/nope').expect(404);

    expect(response.body).toEqual({
      success: false,
      error: 'No route GET /api/integrations/nope',
      code: 'NOT_FOUND',
      category: 'not_found',
      requestId: response.headers['x-request-id'],
      retryable: false,
      durationMs: expect.any(Number),
    });
  });
});

// Runs after the suite above has closed its app: apps must not overlap (see test-app.ts).
describe('request size limit', () => {
  it('answers 413 PAYLOAD_TOO_LARGE beyond MAX_REQUEST_BODY_BYTES', async () => {
    const gateway = await startTestApp({ MAX_REQUEST_BODY_BYTES: '2048' });
    try {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs('user-1'))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x'.repeat(5000) }] } })
        .expect(413);
      expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', requestId: expect.any(String) });
    } finally {
      await gateway.close();
    }
  });
});
