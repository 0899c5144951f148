import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from './support/fake-opstage.js';
import { FakeUpstream, type ScriptedReply } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { anthropicError } from './support/provider-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';
import { frames } from './support/sse-frames.js';

/**
 * One switchable fake upstream, every way an upstream can misbehave, and for each: what the caller
 * gets (status and code), how many attempts reached the upstream, the circuit's state afterwards and
 * the execution-log row. The process must survive all of them.
 */

const chat = (provider: string, stream = false) => ({
  provider,
  operation: 'chat.completions',
  params: {
    messages: [{ role: 'user', content: 'Hi' }],
    ...(provider === 'anthropic' && { maxTokens: 16 }),
    ...(stream && { stream: true }),
  },
});

const openAiChunk = (fields: Record<string, unknown>) => ({
  data: JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini-2024-07-18', choices: [], ...fields }),
});
const openAiDelta = (content: string) => openAiChunk({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const openAiFinish = openAiChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
const openAiUsage = (usage: Record<string, unknown>) => openAiChunk({ usage });
const anthropicEvent = (event: string, data: Record<string, unknown>) => ({ event, data: JSON.stringify({ type: event, ...data }) });

interface FaultCase {
  name: string;
  provider?: 'openai' | 'anthropic';
  stream?: boolean;
  reply: ScriptedReply;
  status: number;
  /** The error code (whole answers) or the `event: error` code (streams); undefined for a success. */
  code?: string;
  attempts: number;
  /** For successful streams: what the final frame must say. */
  final?: Record<string, unknown>;
}

const CASES: FaultCase[] = [
  {
    name: '500 on every attempt',
    reply: openAiError(500, 'server error', 'server_error', null),
    status: 502,
    code: 'PROVIDER_UNAVAILABLE',
    attempts: 3,
  },
  {
    name: '429 with Retry-After',
    reply: openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded', { 'retry-after-ms': '5' }),
    status: 429,
    code: 'PROVIDER_RATE_LIMITED',
    attempts: 3,
  },
  {
    name: '429 without Retry-After',
    reply: openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded'),
    status: 429,
    code: 'PROVIDER_RATE_LIMITED',
    attempts: 3,
  },
  {
    name: '429 asking for longer than the gateway holds a caller',
    reply: openAiError(429, 'slow down', 'requests', 'rate_limit_exceeded', { 'retry-after': '60' }),
    status: 429,
    code: 'PROVIDER_RATE_LIMITED',
    attempts: 1,
  },
  {
    name: 'Anthropic 529 overloaded',
    provider: 'anthropic',
    reply: anthropicError(529, 'overloaded_error', 'Overloaded'),
    status: 502,
    code: 'PROVIDER_UNAVAILABLE',
    attempts: 3,
  },
  { name: 'a connection reset before any answer', reply: { dropConnection: true }, status: 502, code: 'PROVIDER_UNAVAILABLE', attempts: 3 },
  {
    name: 'a connection reset mid-body',
    reply: { partialBody: '{"id":"chatcmpl-1","choices":[' },
    status: 502,
    code: 'PROVIDER_UNAVAILABLE',
    attempts: 3,
  },
  {
    name: 'no answer within the timeout',
    reply: { ...openAiChatCompletion(), delayMs: 2000 },
    status: 504,
    code: 'PROVIDER_TIMEOUT',
    attempts: 1,
  },
  {
    name: 'invalid JSON with a 200',
    reply: { headers: { 'content-type': 'application/json' }, body: '{"id": "chatcmpl-1", "choices": [' },
    status: 502,
    code: 'PROVIDER_INVALID_RESPONSE',
    attempts: 1,
  },
  {
    name: 'a body over MAX_UPSTREAM_RESPONSE_BYTES',
    reply: openAiChatCompletion({ content: 'x'.repeat(10_000) }),
    status: 502,
    code: 'PROVIDER_INVALID_RESPONSE',
    attempts: 1,
  },
  {
    name: 'poisoned usage in a whole answer',
    reply: {
      body: { ...(openAiChatCompletion().body as object), usage: { prompt_tokens: -5, completion_tokens: '12', total_tokens: 1e300 } },
    },
    status: 200,
    attempts: 1,
  },
  {
    name: 'a stream that closes cleanly without a finish reason or [DONE]',
    stream: true,
    reply: { sse: [openAiDelta('Hel'), openAiDelta('lo')] },
    status: 200,
    code: 'PROVIDER_INVALID_RESPONSE',
    attempts: 1,
  },
  {
    name: 'a stream with negative and string token counts (OpenAI)',
    stream: true,
    reply: {
      sse: [
        openAiDelta('Hello'),
        openAiFinish,
        openAiUsage({ prompt_tokens: -5, completion_tokens: '12', total_tokens: 7 }),
        { data: '[DONE]' },
      ],
    },
    status: 200,
    attempts: 1,
    final: { finishReason: 'stop', metadata: expect.objectContaining({ usageEstimated: true }) },
  },
  {
    name: 'a stream with a negative output token count (Anthropic)',
    provider: 'anthropic',
    stream: true,
    reply: {
      sse: [
        anthropicEvent('message_start', {
          message: { id: 'msg_1', model: 'claude-3-5-sonnet-20241022', usage: { input_tokens: '12', output_tokens: 1 } },
        }),
        anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
        anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: -5 } }),
        anthropicEvent('message_stop', {}),
      ],
    },
    status: 200,
    attempts: 1,
    final: { finishReason: 'stop', metadata: expect.objectContaining({ usageEstimated: true }) },
  },
  {
    name: 'a slow drip past STREAM_TIMEOUT_MS',
    stream: true,
    reply: { sse: [...Array.from({ length: 16 }, () => openAiDelta('.')), openAiFinish, { data: '[DONE]' }], eventGapMs: 150 },
    status: 200,
    code: 'PROVIDER_TIMEOUT',
    attempts: 1,
  },
  {
    name: 'a stream that goes silent past the timeout',
    stream: true,
    reply: { sse: [openAiDelta('Hel')], afterEvents: 'hang' },
    status: 200,
    code: 'PROVIDER_TIMEOUT',
    attempts: 1,
  },
];

describe('fault injection: every upstream failure, one by one', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      ANTHROPIC_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-faultInjection01234567',
      ANTHROPIC_API_KEY: 'sk-ant-faultInjection01234567',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '1',
      RETRY_MAX_DELAY_MS: '50',
      OPENAI_TIMEOUT_MS: '300',
      ANTHROPIC_TIMEOUT_MS: '300',
      STREAM_TIMEOUT_MS: '1000',
      MAX_UPSTREAM_RESPONSE_BYTES: '4096',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it.each(CASES)('$name', async (fault) => {
    const provider = fault.provider ?? 'openai';
    const userId = uniqueId('user-fault');
    upstream.reply(fault.reply);
    const before = upstream.received.length;

    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId))
      .send(chat(provider, fault.stream))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });

    expect(response.status).toBe(fault.status);
    const body = response.body as string;
    if (fault.stream && response.status === 200) {
      const received = frames(body);
      const failure = received.find((frame) => frame.event === 'error');
      if (fault.code) {
        expect(failure?.data.error.code).toBe(fault.code);
      } else {
        expect(failure).toBeUndefined();
        expect(received.at(-1)?.data).toBe('[DONE]');
        const final = received.at(-2)!.data;
        expect(final).toMatchObject(fault.final!);
        // Nothing poisoned reaches a count: tokens are whole non-negative numbers.
        for (const count of Object.values(final.usage as Record<string, number>))
          expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
      }
    } else if (fault.code) {
      expect(JSON.parse(body).code).toBe(fault.code);
    } else {
      expect(JSON.parse(body).data.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    }
    expect(upstream.received.length - before).toBe(fault.attempts);

    // The circuit stays closed (the breaker is set never to trip here) and the process still serves.
    const status = await request(gateway.server)
      .get('/api/integrations/status/details')
      .set(authAs(userId, { roles: ['operator'] }))
      .expect(200);
    expect(status.body.providers.find((entry: { name: string }) => entry.name === provider).circuit).toBe('closed');

    let row: { success: boolean; error_code: string | null } | undefined;
    await waitFor(
      async () => {
        await gateway.flushExecutionLog();
        [row] = await gateway.dataSource.query('SELECT success, error_code FROM execution_logs WHERE user_id = $1', [userId]);
        return row !== undefined;
      },
      3000,
      'the log row',
    );
    expect(row).toEqual({ success: fault.code === undefined, error_code: fault.code ?? null });
  });
});

describe('fault injection: the circuit breaker', () => {
  it('a half-open trial whose caller hangs up mid-stream does not leave the circuit stuck', async () => {
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-faultCircuit0123456789',
      CIRCUIT_MIN_CALLS: '2',
      CIRCUIT_FAILURE_RATE: '0.5',
      CIRCUIT_COOLDOWN_MS: '50',
    });
    try {
      const baseUrl = await gateway.listen();
      const userId = uniqueId('user-circuit');
      upstream.reply(openAiError(500, 'server error', 'server_error', null));
      for (let call = 0; call < 2; call++)
        await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chat('openai')).expect(502);
      await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chat('openai')).expect(503);

      // After the cool-down, the one trial is a stream its caller abandons after the first chunk.
      upstream.reply({ sse: [openAiDelta('Hel')], afterEvents: 'hang' });
      const status = async () =>
        (
          await request(gateway.server)
            .get('/api/integrations/status/details')
            .set(authAs(userId, { roles: ['operator'] }))
        ).body.providers[0].circuit;
      await waitFor(async () => (await status()) === 'half_open', 3000, 'the cool-down');
      const { port } = new URL(baseUrl);
      await new Promise<void>((resolve, reject) => {
        const trial = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/integrations/execute',
            agent: false,
            headers: { ...authAs(userId), 'content-type': 'application/json' },
          },
          (response) => {
            expect(response.statusCode).toBe(200);
            // The first chunk arrived: the caller goes away.
            response.once('data', () => {
              trial.destroy();
              resolve();
            });
          },
        );
        trial.on('error', () => undefined);
        trial.end(JSON.stringify(chat('openai', true)), () => undefined);
        setTimeout(() => reject(new Error('no first chunk')), 3000).unref();
      });

      // The abandoned trial frees its slot: the next call is let through, succeeds and closes the circuit.
      upstream.reply(openAiChatCompletion());
      await waitFor(
        async () =>
          (await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chat('openai'))).status === 200,
        3000,
        'a call let through after the abandoned trial',
      );
      expect(await status()).toBe('closed');
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});
