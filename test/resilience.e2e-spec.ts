import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream, type ScriptedReply } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { waitFor } from './support/fake-opstage.js';
import { authAs, chatBody, startTestApp, uniqueId, waitForLoggedError, type TestApp } from './support/test-app.js';
import { TestClock } from './support/test-clock.js';

/** Replies in order, then the last one forever: an upstream that fails on cue. */
function sequence(upstream: FakeUpstream, replies: ScriptedReply[]): void {
  let index = 0;
  upstream.reply(() => replies[Math.min(index++, replies.length - 1)]);
}

describe('retries', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-resilienceTests01234567',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '20',
      RETRY_MAX_DELAY_MS: '2000',
      OPENAI_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  beforeEach(() => {
    upstream.received.length = 0;
  });

  const execute = () =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(chatBody);

  it.each([
    ['a 500', openAiError(500, 'server error', 'server_error', null)],
    ['a 503', openAiError(503, 'overloaded', 'server_error', null)],
    ['a dropped connection', { dropConnection: true }],
  ])('retries after %s and answers with the success', async (_case, failure) => {
    sequence(upstream, [failure, failure, openAiChatCompletion()]);

    const response = await execute().expect(200);

    expect(upstream.received).toHaveLength(3);
    expect(response.body.data.metadata.attempts).toBe(3);
  });

  it('honours Retry-After on a 429 before retrying', async () => {
    sequence(upstream, [
      openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded', { 'retry-after-ms': '300' }),
      openAiChatCompletion(),
    ]);

    const started = Date.now();
    await execute().expect(200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(upstream.received).toHaveLength(2);
  });

  it('gives up after the configured attempts with the last error', async () => {
    sequence(upstream, [openAiError(502, 'bad gateway', 'server_error', null)]);

    const response = await execute().expect(502);

    expect(response.body.code).toBe('PROVIDER_UNAVAILABLE');
    expect(upstream.received).toHaveLength(3);
  });

  it.each([
    ['an auth failure', openAiError(401, 'bad key', 'invalid_request_error', 'invalid_api_key'), 424],
    ['a bad request', openAiError(400, 'bad param', 'invalid_request_error', null), 400],
    ['exhausted quota', openAiError(429, 'quota', 'insufficient_quota', 'insufficient_quota'), 429],
    ['a timeout', { ...openAiChatCompletion(), delayMs: 1000 }, 504],
  ])('never retries %s', async (_case, failure, status) => {
    sequence(upstream, [failure, openAiChatCompletion()]);

    await execute().expect(status);

    expect(upstream.received).toHaveLength(1);
  });

  it('does not wait longer than it would hold a caller when Retry-After is too long', async () => {
    sequence(upstream, [openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded', { 'retry-after': '60' }), openAiChatCompletion()]);

    const response = await execute().expect(429);

    expect(response.body.retryAfterMs).toBe(60_000);
    expect(upstream.received).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  it('opens on a failure rate, answers fast while open, half-opens after the cool-down and closes on success', async () => {
    const upstream = await FakeUpstream.start();
    const clock = new TestClock();
    const gateway = await startTestApp(
      {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: 'sk-proj-circuitBreakerTests0123',
        CIRCUIT_MIN_CALLS: '4',
        CIRCUIT_FAILURE_RATE: '0.5',
        CIRCUIT_COOLDOWN_MS: '60000',
      },
      { clock: clock.now },
    );
    const execute = () =>
      request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs(uniqueId('user')))
        .send(chatBody);
    const circuitState = async () =>
      (
        await request(gateway.server)
          .get('/api/integrations/status/details')
          .set(authAs('operator', { roles: ['operator'] }))
      ).body.providers.find((provider: { name: string }) => provider.name === 'openai').circuit;
    try {
      upstream.reply(openAiError(500, 'down', 'server_error', null));
      for (let call = 0; call < 4; call++) await execute().expect(502);
      expect(await circuitState()).toBe('open');

      const callsBefore = upstream.received.length;
      const fast = await execute().expect(503);
      expect(fast.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, metadata: { circuit: 'open' } });
      expect(upstream.received.length).toBe(callsBefore);

      clock.advance(30_000);
      expect(await circuitState()).toBe('open');
      clock.advance(30_000);
      expect(await circuitState()).toBe('half_open');
      upstream.reply(openAiChatCompletion());
      await execute().expect(200);
      expect(await circuitState()).toBe('closed');
      await execute().expect(200);
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});

describe('fallback chains', () => {
  it('moves to the next provider on a listed failure, maps the model, says who answered, and logs both attempts', async () => {
    const openai = await FakeUpstream.start();
    const anthropic = await FakeUpstream.start();
    const gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-fallbackOpenAi01234567',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-fallbackAnthropic1',
      FALLBACK_CHAINS: JSON.stringify([
        { from: 'openai', to: ['anthropic'], on: ['PROVIDER_UNAVAILABLE'], models: { 'gpt-4o': 'claude-3-5-sonnet-latest' } },
      ]),
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
    const execute = (userId: string, params: object) =>
      request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs(userId))
        .send({ provider: 'openai', operation: 'chat.completions', params });
    try {
      anthropic.reply(anthropicReply());
      openai.reply(openAiError(503, 'overloaded', 'server_error', null));
      const userId = uniqueId('user');

      const response = await execute(userId, { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }).expect(200);

      expect(response.body.data).toMatchObject({
        provider: 'anthropic',
        content: 'Hello from Claude',
        metadata: { fallbackFrom: 'openai', fallbackReason: 'PROVIDER_UNAVAILABLE' },
      });
      expect((anthropic.lastRequest().body as { model: string }).model).toBe('claude-3-5-sonnet-latest');
      await gateway.flushExecutionLog();
      const rows = await gateway.dataSource.query(
        'SELECT provider, success, error_code FROM execution_logs WHERE user_id = $1 ORDER BY created_at',
        [userId],
      );
      expect(rows).toEqual([
        { provider: 'openai', success: false, error_code: 'PROVIDER_UNAVAILABLE' },
        { provider: 'anthropic', success: true, error_code: null },
      ]);

      const anthropicCalls = anthropic.received.length;
      openai.reply(openAiError(400, 'bad param', 'invalid_request_error', null));
      await execute(uniqueId('user'), { messages: [{ role: 'user', content: 'Hi' }] }).expect(400);
      openai.reply(openAiError(401, 'bad key', 'invalid_request_error', 'invalid_api_key'));
      await execute(uniqueId('user'), { messages: [{ role: 'user', content: 'Hi' }] }).expect(424);
      expect(anthropic.received.length).toBe(anthropicCalls);

      openai.reply(openAiError(503, 'overloaded', 'server_error', null));
      anthropic.reply({
        sse: [
          {
            event: 'message_start',
            data: JSON.stringify({
              type: 'message_start',
              message: { model: 'claude-3-5-sonnet-20241022', usage: { input_tokens: 5, output_tokens: 0 } },
            }),
          },
          {
            event: 'content_block_delta',
            data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi!' } }),
          },
          {
            event: 'message_delta',
            data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }),
          },
        ],
      });
      const streamed = await execute(uniqueId('user'), { messages: [{ role: 'user', content: 'Hi' }], stream: true }).expect(200);
      expect(streamed.text).toContain('"delta":"Hi!"');
      expect(streamed.text).toMatch(/"provider":"anthropic".*"fallbackFrom":"openai"/);

      anthropic.reply({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
      const bothDown = await execute(uniqueId('user'), { messages: [{ role: 'user', content: 'Hi' }] }).expect(502);
      expect(bothDown.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'openai' });
    } finally {
      await gateway.close();
      await openai.stop();
      await anthropic.stop();
    }
  });
});

describe('an upstream reply larger than MAX_UPSTREAM_RESPONSE_BYTES', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-resilienceTests01234567',
      MAX_UPSTREAM_RESPONSE_BYTES: '4096',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  beforeEach(() => {
    upstream.received.length = 0;
  });

  it('fails with 502 PROVIDER_INVALID_RESPONSE without retrying, and the next call still works', async () => {
    sequence(upstream, [openAiChatCompletion({ content: 'x'.repeat(10_000) }), openAiChatCompletion()]);

    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(chatBody)
      .expect(502);

    expect(response.body).toMatchObject({ code: 'PROVIDER_INVALID_RESPONSE', provider: 'openai' });
    expect(response.body.error).toContain('over 4096 bytes (MAX_UPSTREAM_RESPONSE_BYTES)');
    expect(upstream.received).toHaveLength(1);
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(chatBody)
      .expect(200);
  });

  it('ends a stream that grows past the limit with an error event', async () => {
    const chunk = (content: string) => ({
      data: JSON.stringify({ model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] }),
    });
    // Spaced as a provider's events are: written back to back in one turn, Node 26's HTTP server
    // sends them as one HTTP chunk, and a chunk that crosses the limit is refused whole, with the
    // events before the limit in it.
    upstream.reply({ sse: Array.from({ length: 20 }, () => chunk('y'.repeat(500))), eventGapMs: 5 });

    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send({ ...chatBody, params: { ...chatBody.params, stream: true } })
      .expect(200);

    expect(response.text).toContain(`"delta":"${'y'.repeat(500)}"`);
    expect(response.text).toMatch(/event: error\ndata: \{"error":\{"code":"PROVIDER_INVALID_RESPONSE"/);
  });
});

describe('a caller that hangs up before the answer', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-resilienceTests01234567',
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
    baseUrl = await gateway.listen();
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it.each([
    ['/api/integrations/execute', chatBody],
    ['/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }],
  ])('on %s aborts the upstream call and logs it as CANCELLED', async (path, body) => {
    const userId = uniqueId('user');
    const abandonedBefore = upstream.abandoned;
    upstream.reply({ ...openAiChatCompletion(), delayMs: 5_000 });

    const call = httpRequest(`${baseUrl}${path}`, { method: 'POST', headers: { ...authAs(userId), 'content-type': 'application/json' } });
    call.on('error', () => undefined);
    call.end(JSON.stringify(body));
    await waitFor(() => upstream.received.length > 0, 3000, 'the upstream call to start');
    call.destroy();

    await waitFor(() => upstream.abandoned > abandonedBefore, 3000, 'the upstream call to be aborted');
    await waitForLoggedError(gateway, userId, 'CANCELLED');
    upstream.received.length = 0;
  });
});

function anthropicReply(): ScriptedReply {
  return {
    body: {
      id: 'msg_fallback',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-5-sonnet-20241022',
      content: [{ type: 'text', text: 'Hello from Claude' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, output_tokens: 4 },
    },
  };
}
