import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, startTestApp, TEST_VAULT_KEY, type TestApp } from './support/test-app.js';

/**
 * Caller input that used to reach PostgreSQL, a fingerprint or a mapper unchecked and come back as
 * 500: each is a 400 in the one error shape, naming the field.
 */
describe('caller input never causes a 500', () => {
  let gateway: TestApp;
  let upstream: FakeUpstream;
  const caller = authAs('user-hardening', { orgId: 'org-hardening' });

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-hardeningTests012345',
      CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  function expectValidation(response: request.Response, field: string): void {
    expect(response.status).toBe(400);
    // The gateway's shape, or OpenAI's (`{error: {…}}`) on /v1.
    const error = typeof response.body.error === 'string' ? response.body : response.body.error;
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field, requestId: response.headers['x-request-id'] });
  }

  it.each([
    ['/api/integrations/executions', 'provider'],
    ['/api/integrations/executions', 'operation'],
    ['/api/integrations/executions', 'userId'],
    ['/api/integrations/usage', 'provider'],
    ['/api/integrations/usage', 'userId'],
  ])('%s?%s= with a NUL', async (path, field) => {
    expectValidation(await request(gateway.server).get(`${path}?${field}=a%00b`).set(caller), field);
  });

  it('an offset past any page, and dates outside what PostgreSQL can hold', async () => {
    expectValidation(await request(gateway.server).get('/api/integrations/executions?offset=9223372036854775808').set(caller), 'offset');
    expectValidation(await request(gateway.server).get('/api/integrations/executions?from=-200000-01-01T00:00:00Z').set(caller), 'from');
    expectValidation(await request(gateway.server).get('/api/integrations/usage?to=%2B275760-09-13T00:00:00Z').set(caller), 'to');
  });

  it('DELETE /credentials/%00', async () => {
    expectValidation(await request(gateway.server).delete('/api/integrations/credentials/%00').set(caller), 'provider');
  });

  it('an apiKey with a NUL is refused before it is stored or fingerprinted', async () => {
    expectValidation(
      await request(gateway.server).put('/api/integrations/credentials/openai').set(caller).send({ apiKey: 'sk-proj-abc\u0000def123456' }),
      'apiKey',
    );
  });

  it('a null scope is the default scope, not a database error (found by the fuzzer)', async () => {
    const response = await request(gateway.server)
      .put('/api/integrations/credentials/openai')
      .set(caller)
      .send({ apiKey: 'sk-proj-nullScope0123456789', scope: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ provider: 'openai', scope: 'user' });
  });

  it('a field named constructor is refused like any unknown field', async () => {
    expectValidation(
      await request(gateway.server)
        .put('/api/integrations/credentials/openai')
        .set(caller)
        .send({ apiKey: 'sk-proj-constructor0123', constructor: 1 }),
      'constructor',
    );
    expectValidation(await request(gateway.server).get('/api/integrations/executions?constructor=1').set(caller), 'constructor');
  });

  it('/v1 messages[0].tool_calls: [null]', async () => {
    const response = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(caller)
      .send({ model: 'gpt-4o-mini', messages: [{ role: 'assistant', content: null, tool_calls: [null] }] });
    expectValidation(response, 'params.messages.0.toolCalls.0');
  });

  it.each([[{}], [5], [{ type: 'function', function: null }], [{ function: { name: 7 } }]])(
    '/v1 tool_choice %j is refused, not dropped',
    async (toolChoice) => {
      const response = await request(gateway.server)
        .post('/v1/chat/completions')
        .set(caller)
        .send({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], tool_choice: toolChoice });
      expectValidation(response, 'tool_choice');
    },
  );

  it('an error body lists at most 20 violations and says how many there were', async () => {
    const params: Record<string, unknown> = { messages: [{ role: 'user', content: 'Hi' }] };
    for (let field = 0; field < 300_000; field++) params[`unknown${field}`] = 1;
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(caller)
      .send({ provider: 'openai', operation: 'chat.completions', params });
    expect(response.status).toBe(400);
    expect(response.body.details).toHaveLength(20);
    expect(response.body.violationCount).toBe(300_000);
    expect(JSON.stringify(response.body).length).toBeLessThan(10_000);
  });

  it('a tool schema nested 5,000 levels deep is a 400 naming it, and never reaches the upstream', async () => {
    // Written as text: building it as an object and stringifying it would overflow the test's own stack.
    const schema = '{"type":"object","properties":{"a":'.repeat(2500) + '{"type":"string"}' + '}}'.repeat(2500);
    const body = `{"provider":"openai","operation":"chat.completions","params":{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}}`;
    const before = upstream.received.length;
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(caller)
      .set('content-type', 'application/json')
      .send(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.field).toMatch(/^params\.tools\.0\.function\.parameters/);
    expect(upstream.received.length).toBe(before);
  });
});
