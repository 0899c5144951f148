import { request as httpRequest, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from './support/fake-opstage.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { authAs, startTestApp, uniqueId, waitForLoggedError, type TestApp } from './support/test-app.js';
import { frames } from './support/sse-frames.js';

const messages = [{ role: 'user', content: 'Say hello' }];

function openAiChunk(delta: string | null, finishReason: string | null = null, usage?: object): { data: string } {
  return {
    data: JSON.stringify({
      id: 'chatcmpl-stream',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini-2024-07-18',
      choices: usage ? [] : [{ index: 0, delta: delta === null ? {} : { content: delta }, finish_reason: finishReason }],
      usage: usage ?? null,
    }),
  };
}

const OPENAI_STREAM = [
  openAiChunk(''),
  openAiChunk('Hel'),
  openAiChunk('lo!'),
  openAiChunk(null, 'stop'),
  openAiChunk(null, null, { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 }),
  { data: '[DONE]' },
];

const ANTHROPIC_STREAM = [
  {
    event: 'message_start',
    data: JSON.stringify({
      type: 'message_start',
      message: { id: 'msg_1', model: 'claude-3-5-sonnet-20241022', usage: { input_tokens: 12, output_tokens: 1 } },
    }),
  },
  {
    event: 'content_block_start',
    data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  },
  { event: 'ping', data: JSON.stringify({ type: 'ping' }) },
  {
    event: 'content_block_delta',
    data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
  },
  {
    event: 'content_block_delta',
    data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo!' } }),
  },
  { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) },
  {
    event: 'message_delta',
    data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
  },
  { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
];

/**
 * What the server wrote to its connections, one entry per socket write (what Node hands the kernel
 * at once: a flush of corked writes is one). Stops recording when `stop` is called.
 */
function recordSocketWrites(server: Server): { writes: string[]; stop(): void } {
  const writes: string[] = [];
  const text = (chunk: unknown, encoding?: BufferEncoding) =>
    typeof chunk === 'string' ? Buffer.from(chunk, encoding).toString('latin1') : Buffer.from(chunk as Uint8Array).toString('latin1');
  const record = (socket: Socket) => {
    const write = socket._write.bind(socket);
    const writev = socket._writev?.bind(socket);
    socket._write = (chunk, encoding, callback) => {
      writes.push(text(chunk, encoding));
      write(chunk, encoding, callback);
    };
    if (writev) {
      socket._writev = (chunks, callback) => {
        writes.push(chunks.map(({ chunk, encoding }) => text(chunk, encoding)).join(''));
        writev(chunks, callback);
      };
    }
  };
  server.on('connection', record);
  return { writes, stop: () => server.off('connection', record) };
}

function postOnNewConnection(url: string, body: object, headers: Record<string, string>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const call = httpRequest(url, { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve(text));
    });
    call.on('error', reject);
    call.end(JSON.stringify(body));
  });
}

/**
 * A 12 MB answer: more than the kernel's socket buffers on both sides take (4 MB at most here), so
 * the gateway's own buffer for a caller that reads nothing fills (with 4 MB it never did).
 */
const LONG_PIECE = 'x'.repeat(100_000);
const LONG_OPENAI_STREAM = [...Array.from({ length: 120 }, () => openAiChunk(LONG_PIECE)), ...OPENAI_STREAM.slice(3)];

describe('streaming (params.stream: true)', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let huggingface: FakeUpstream;
  let gateway: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    [openai, anthropic, huggingface] = await Promise.all([FakeUpstream.start(), FakeUpstream.start(), FakeUpstream.start()]);
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-streamingTests012345678',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-streamingTests01234',
      HUGGINGFACE_BASE_URL: huggingface.url,
      HUGGINGFACE_API_KEY: 'hf_streamingTests0123456789',
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
    baseUrl = await gateway.listen();
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([openai.stop(), anthropic.stop(), huggingface.stop()]);
  });

  const stream = (userId: string, provider: string, operation = 'chat.completions') =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId))
      .send({ provider, operation, params: { messages, stream: true } });

  it('streams OpenAI as normalized chunks, then usage and finish reason, and logs the usage', async () => {
    openai.reply({ sse: OPENAI_STREAM });
    const userId = uniqueId('user');

    const response = await stream(userId, 'openai').expect(200);

    expect(response.headers['content-type']).toContain('text/event-stream');
    expect(response.headers['x-request-id']).toBeDefined();
    const received = frames(response.text);
    expect(received.slice(0, 2).map((frame) => frame.data)).toEqual([
      { delta: 'Hel', index: 0 },
      { delta: 'lo!', index: 1 },
    ]);
    expect(received[2].data).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 },
      finishReason: 'stop',
      metadata: { requestId: response.headers['x-request-id'], attempts: 1, chunks: 2 },
    });
    expect(received[3].data).toBe('[DONE]');
    expect(openai.lastRequest().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    await gateway.flushExecutionLog();
    const [row] = await gateway.dataSource.query(
      'SELECT success, prompt_tokens, completion_tokens, total_tokens FROM execution_logs WHERE user_id = $1',
      [userId],
    );
    expect(row).toEqual({ success: true, prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 });
  });

  it('streams Anthropic events into the same chunks, counting usage from message_start and message_delta', async () => {
    anthropic.reply({ sse: ANTHROPIC_STREAM });

    const response = await stream(uniqueId('user'), 'anthropic').expect(200);

    const received = frames(response.text);
    expect(received.slice(0, 2).map((frame) => frame.data)).toEqual([
      { delta: 'Hel', index: 0 },
      { delta: 'lo!', index: 1 },
    ]);
    expect(received[2].data).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
      finishReason: 'stop',
    });
    expect(anthropic.lastRequest().body).toMatchObject({ stream: true });
  });

  it('streams tool calls: OpenAI pieces as they come, then every call whole in the final chunk', async () => {
    const toolChunk = (toolCalls: object[], finishReason: string | null = null) => ({
      data: JSON.stringify({
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: finishReason }],
      }),
    });
    openai.reply({
      sse: [
        toolChunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }]),
        toolChunk([{ index: 0, function: { arguments: '{"city":' } }]),
        toolChunk([{ index: 0, function: { arguments: '"Paris"}' } }]),
        toolChunk([{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }]),
        { data: JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }) },
        openAiChunk(null, null, { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 }),
        { data: '[DONE]' },
      ],
    });

    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send({
        provider: 'openai',
        operation: 'chat.completions',
        params: { messages, stream: true, tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      })
      .expect(200);

    const received = frames(response.text);
    expect(received.slice(0, 4).map((frame) => frame.data)).toEqual([
      { toolCall: { index: 0, id: 'call_1', name: 'get_weather', arguments: '' } },
      { toolCall: { index: 0, arguments: '{"city":' } },
      { toolCall: { index: 0, arguments: '"Paris"}' } },
      { toolCall: { index: 1, id: 'call_2', name: 'get_time', arguments: '{}' } },
    ]);
    expect(received[4].data).toMatchObject({
      finishReason: 'tool_calls',
      toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_2', name: 'get_time', arguments: '{}' },
      ],
    });
  });

  it('streams Anthropic tool_use blocks as the same tool-call pieces', async () => {
    anthropic.reply({
      sse: [
        ANTHROPIC_STREAM[0],
        {
          event: 'content_block_start',
          data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } }),
        },
        { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) },
        {
          event: 'content_block_start',
          data: JSON.stringify({
            type: 'content_block_start',
            index: 1,
            content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} },
          }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": ' } }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
        },
        { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 1 }) },
        {
          event: 'message_delta',
          data: JSON.stringify({
            type: 'message_delta',
            delta: { stop_reason: 'tool_use', stop_sequence: null },
            usage: { output_tokens: 20 },
          }),
        },
        { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
      ],
    });

    const response = await stream(uniqueId('user'), 'anthropic').expect(200);

    const received = frames(response.text);
    expect(received.slice(0, 4).map((frame) => frame.data)).toEqual([
      { delta: 'Checking.', index: 0 },
      { toolCall: { index: 0, id: 'toolu_01', name: 'get_weather', arguments: '' } },
      { toolCall: { index: 0, arguments: '{"city": ' } },
      { toolCall: { index: 0, arguments: '"Paris"}' } },
    ]);
    expect(received[4].data).toMatchObject({
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'toolu_01', name: 'get_weather', arguments: '{"city": "Paris"}' }],
    });
  });

  it('estimates usage when a provider streams without counts (HuggingFace), and says so', async () => {
    huggingface.reply({ sse: OPENAI_STREAM.slice(0, 4) });

    const response = await stream(uniqueId('user'), 'huggingface').expect(200);

    const final = frames(response.text)[2].data;
    expect(final).toMatchObject({ provider: 'huggingface', finishReason: 'stop', metadata: { usageEstimated: true } });
    expect(final.usage.completionTokens).toBeGreaterThan(0);
  });

  it('ends with an error event naming the provider when the upstream reports an error mid-stream (HuggingFace router)', async () => {
    huggingface.reply({
      sse: [
        OPENAI_STREAM[0],
        { data: JSON.stringify({ error: { message: 'Input validation error: the provider is overloaded', type: 'server_error' } }) },
      ],
    });

    const response = await stream(uniqueId('user'), 'huggingface').expect(200);

    const failure = frames(response.text).find((frame) => frame.event === 'error');
    expect(failure?.data.error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: 'huggingface: Input validation error: the provider is overloaded',
    });
  });

  it('passes each chunk on as it arrives instead of buffering the stream', async () => {
    openai.reply({ sse: OPENAI_STREAM, eventGapMs: 300 });
    const started = Date.now();
    let firstDeltaAt = 0;

    const body = await new Promise<string>((resolve, reject) => {
      const call = httpRequest(
        `${baseUrl}/api/integrations/execute`,
        { method: 'POST', headers: { ...authAs(uniqueId('user')), 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (!firstDeltaAt && text.includes('"delta":"Hel"')) firstDeltaAt = Date.now() - started;
          });
          res.on('end', () => resolve(text));
        },
      );
      call.on('error', reject);
      call.end(JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages, stream: true } }));
    });

    const total = Date.now() - started;
    expect(total).toBeGreaterThanOrEqual(1400); // five gaps of 300 ms
    expect(firstDeltaAt).toBeLessThan(total - 600);
    expect(body).toContain('[DONE]');
  });

  it.each([
    {
      surface: 'execute',
      path: '/api/integrations/execute',
      body: { provider: 'openai', operation: 'chat.completions', params: { messages, stream: true } },
      lastFrame: 'data: [DONE]',
    },
    {
      surface: '/v1/chat/completions',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages, stream: true },
      lastFrame: 'data: [DONE]',
    },
    {
      surface: '/v1/messages',
      path: '/v1/messages',
      body: { model: 'claude-3-5-sonnet-20241022', max_tokens: 32, messages, stream: true },
      lastFrame: 'event: message_stop',
    },
    {
      surface: '/v1/responses (translated)',
      path: '/v1/responses',
      body: { model: 'anthropic/claude-3-5-sonnet-latest', input: 'Say hello', max_output_tokens: 32, stream: true },
      lastFrame: 'event: response.completed',
    },
  ])('$surface: sends the last frame and the end of the body in one socket write', async ({ path, body, lastFrame }) => {
    openai.reply({ sse: OPENAI_STREAM });
    anthropic.reply({ sse: ANTHROPIC_STREAM });
    const recording = recordSocketWrites(gateway.server);

    const text = await postOnNewConnection(`${baseUrl}${path}`, body, authAs(uniqueId('user')));
    recording.stop();

    expect(text).toContain(lastFrame);
    const lastFrameWrite = recording.writes.find((write) => write.includes(lastFrame));
    expect(lastFrameWrite?.endsWith('0\r\n\r\n')).toBe(true);
  });

  /**
   * Starts a stream of LONG_OPENAI_STREAM to a caller that reads nothing, and settles once the
   * gateway has had to wait for it (its response to the caller backpressured), or after a bounded
   * number of event-loop turns without that (`behind: false`).
   */
  async function streamToCallerThatFallsBehind(userId: string): Promise<{ call: ClientRequest; res: IncomingMessage; behind: boolean }> {
    openai.reply({ sse: LONG_OPENAI_STREAM });
    let response: ServerResponse | undefined;
    const onRequest = (_request: unknown, res: ServerResponse) => (response = res);
    gateway.server.on('request', onRequest);
    try {
      return await new Promise((resolve, reject) => {
        const call = httpRequest(
          `${baseUrl}/api/integrations/execute`,
          { method: 'POST', agent: false, headers: { ...authAs(userId), 'content-type': 'application/json' } },
          (res) => {
            res.pause();
            let turns = 0;
            const waitUntilBehind = () => {
              const behind = response?.writableNeedDrain === true;
              if (behind || ++turns > 100_000) resolve({ call, res, behind });
              else setImmediate(waitUntilBehind);
            };
            waitUntilBehind();
          },
        );
        call.on('error', reject);
        call.end(JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages, stream: true } }));
      });
    } finally {
      gateway.server.off('request', onRequest);
    }
  }

  it('holds nothing back from a caller that reads slowly: every frame and the end arrive once it reads again', async () => {
    const { res, behind } = await streamToCallerThatFallsBehind(uniqueId('user'));
    const text = await new Promise<string>((resolve, reject) => {
      let received = '';
      res.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      res.on('end', () => resolve(received));
      res.on('error', reject);
      res.resume();
    });

    expect(behind).toBe(true);
    const received = frames(text);
    expect(received.filter((frame) => frame.data?.delta === LONG_PIECE)).toHaveLength(120);
    expect(received.at(-2)?.data).toMatchObject({ finishReason: 'stop', usage: { totalTokens: 29 } });
    expect(received.at(-1)?.data).toBe('[DONE]');
  });

  it('ends a stream whose caller stopped reading and then hung up as CANCELLED', async () => {
    const userId = uniqueId('user');
    const { call, behind } = await streamToCallerThatFallsBehind(userId);
    call.on('error', () => undefined);
    call.destroy();

    expect(behind).toBe(true);
    await waitForLoggedError(gateway, userId, 'CANCELLED');
  });

  it('aborts the upstream call when the caller hangs up, and logs the call as CANCELLED', async () => {
    openai.reply({ sse: OPENAI_STREAM.slice(0, 2), afterEvents: 'hang' });
    const userId = uniqueId('user');
    const abandonedBefore = openai.abandoned;

    await new Promise<void>((resolve, reject) => {
      const giveUp = setTimeout(() => reject(new Error('no first chunk')), 3000);
      const call = httpRequest(
        `${baseUrl}/api/integrations/execute`,
        { method: 'POST', headers: { ...authAs(userId), 'content-type': 'application/json' } },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            if (chunk.toString('utf8').includes('"delta"')) {
              clearTimeout(giveUp);
              call.destroy();
              resolve();
            }
          });
        },
      );
      call.on('error', () => undefined);
      call.end(JSON.stringify({ provider: 'openai', operation: 'chat.completions', params: { messages, stream: true } }));
    });

    await waitFor(() => openai.abandoned > abandonedBefore, 3000, 'the upstream request to be aborted');
    await waitForLoggedError(gateway, userId, 'CANCELLED');
  });

  it('answers an upstream refusal before the stream starts as an ordinary JSON error', async () => {
    openai.reply({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
    });

    const response = await stream(uniqueId('user'), 'openai').expect(429);

    expect(response.headers['content-type']).toContain('application/json');
    expect(response.body).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('ends with an error event when the upstream breaks off mid-stream', async () => {
    openai.reply({ sse: OPENAI_STREAM.slice(0, 2), eventGapMs: 100, afterEvents: 'drop' });

    const response = await stream(uniqueId('user'), 'openai').expect(200);

    const received = frames(response.text);
    expect(received[0].data).toEqual({ delta: 'Hel', index: 0 });
    expect(received.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'PROVIDER_UNAVAILABLE' } } });
  });

  it('refuses stream for operations that cannot stream', async () => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs('user-1'))
      .send({ provider: 'huggingface', operation: 'text.generation', params: { prompt: 'x', stream: true } })
      .expect(400);

    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.stream' });
  });
});
