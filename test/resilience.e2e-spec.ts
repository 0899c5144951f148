import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream, type ScriptedReply } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const chatBody = { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } };

/** Replies in order, then the last one forever: an upstream that fails on cue. */
function sequence(upstream: FakeUpstream, replies: ScriptedReply[]): void {
  let index = 0;
  upstream.reply(() => replies[Math.min(index++, replies.length - 1)]!);
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

  const execute = () => request(gateway.server).post('/api/integrations/execute').set(authAs(uniqueId('user'))).send(chatBody);

  it.each([
    ['a 500', openAiError(500, 'server error', 'server_error', null)],
    ['a 503', openAiError(503, 'overloaded', 'server_error', null)],
    ['a dropped connection', { dropConnection: true } as ScriptedReply],
  ])('retries after %s and answers with the success', async (_case, failure) => {
    sequence(upstream, [failure, failure, openAiChatCompletion()]);

    const response = await execute().expect(200);

    expect(upstream.received).toHaveLength(3);
    expect(response.body.metadata.attempts).toBe(3);
  });

  it('honours Retry-After on a 429 before retrying', async () => {
    sequence(upstream, [openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded', { 'retry-after-ms': '300' }), openAiChatCompletion()]);

    const started = Date.now();
    await execute().expect(200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(upstream.received).toHaveLength(2);
  });

  it('gives up after the configured attempts with the last error', async () => {
    sequence(upstream, [openAiError(502, 'bad gateway', 'server_error', null)]);

    const response = await execute().expect(502);

    expect(response.body.error.code).toBe('PROVIDER_UNAVAILABLE');
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

    expect(response.body.error.retryAfterMs).toBe(60_000);
    expect(upstream.received).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  it('opens on a failure rate, answers fast while open, half-opens after the cool-down and closes on success', async () => {
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-circuitBreakerTests0123',
      CIRCUIT_MIN_CALLS: '4',
      CIRCUIT_FAILURE_RATE: '0.5',
      CIRCUIT_COOLDOWN_MS: '400',
    });
    const execute = () => request(gateway.server).post('/api/integrations/execute').set(authAs(uniqueId('user'))).send(chatBody);
    const circuitState = async () =>
      (await request(gateway.server).get('/api/integrations/status').set(authAs('operator'))).body.providers.find((provider: { name: string }) => provider.name === 'openai').circuit;
    try {
      upstream.reply(openAiError(500, 'down', 'server_error', null));
      for (let call = 0; call < 4; call++) await execute().expect(502);
      expect(await circuitState()).toBe('open');

      const callsBefore = upstream.received.length;
      const fast = await execute().expect(503);
      expect(fast.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, metadata: { circuit: 'open' } });
      expect(upstream.received.length).toBe(callsBefore);

      await new Promise((resolve) => setTimeout(resolve, 450));
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
