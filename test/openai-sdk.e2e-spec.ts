import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiEmbeddings } from './support/openai-replies.js';
import { anthropicMessage } from './support/provider-replies.js';
import { authAs, startTestApp, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

/** The official openai SDK, unmodified, pointed at the gateway's /v1 with a caller's JWT as its key. */
describe('OpenAI-compatible surface with the official openai SDK', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let gateway: TestApp;
  let client: OpenAI;
  const userId = uniqueId('sdk-user');

  beforeAll(async () => {
    openai = await FakeUpstream.start();
    anthropic = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-sdkSurfaceTests0123456',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-sdkSurfaceTests012',
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
    client = new OpenAI({ apiKey: tokenFor(userId), baseURL: `${await gateway.listen()}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway.close();
    await openai.stop();
    await anthropic.stop();
  });

  it('chat.completions.create with a plain OpenAI model', async () => {
    openai.reply(openAiChatCompletion({ content: 'Hi from OpenAI' }));

    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 16,
    });

    expect(completion.choices[0].message.content).toBe('Hi from OpenAI');
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 });
    expect(openai.lastRequest().body).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 16 });
  });

  it('routes provider/model names through the same adapters (Anthropic here)', async () => {
    anthropic.reply(anthropicMessage({ content: [{ type: 'text', text: 'Hi from Claude' }] }));

    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-sonnet-latest',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
    });

    expect(completion.choices[0].message.content).toBe('Hi from Claude');
    expect(completion.model).toBe('anthropic/claude-3-5-sonnet-20241022');
    expect(anthropic.lastRequest().body).toMatchObject({ model: 'claude-3-5-sonnet-latest', system: 'Be brief.' });
  });

  it('streams with the SDK, including the usage chunk when asked', async () => {
    openai.reply({
      sse: [
        {
          data: JSON.stringify({
            model: 'gpt-4o-mini-2024-07-18',
            choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }],
          }),
        },
        {
          data: JSON.stringify({
            model: 'gpt-4o-mini-2024-07-18',
            choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }],
          }),
        },
        { data: JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }) },
        { data: '[DONE]' },
      ],
    });

    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage;
    let finishReason;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason ??= chunk.choices[0]?.finish_reason ?? undefined;
      usage ??= chunk.usage ?? undefined;
    }

    expect(text).toBe('Hello');
    expect(finishReason).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it('embeddings.create as the SDK calls it by default (it asks for base64 and decodes it)', async () => {
    openai.reply(
      openAiEmbeddings([
        [0.5, -0.25],
        [1.5, 2],
      ]),
    );

    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });

    // Values exact in 32-bit floats, so decoding gives them back unchanged.
    expect(result.data.map((item) => item.embedding)).toEqual([
      [0.5, -0.25],
      [1.5, 2],
    ]);
    expect(result.usage).toMatchObject({ prompt_tokens: 8, total_tokens: 8 });
    // The upstream is asked for floats either way.
    expect(openai.lastRequest().body).toMatchObject({ encoding_format: 'float' });
  });

  it('embeddings.create with encoding_format float', async () => {
    openai.reply(
      openAiEmbeddings([
        [0.1, 0.2],
        [0.3, 0.4],
      ]),
    );

    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });

    expect(result.data.map((item) => item.embedding)).toEqual([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
  });

  it("models.list names each provider's default models as routable model ids", async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);

    expect(models).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' }),
        expect.objectContaining({ id: 'text-embedding-3-small', owned_by: 'openai' }),
        expect.objectContaining({ id: expect.stringMatching(/^anthropic\/claude-/), owned_by: 'anthropic' }),
      ]),
    );
  });

  it('surfaces gateway errors as SDK errors with status and code', async () => {
    const unauthenticated = new OpenAI({ apiKey: 'not-a-valid-token', baseURL: client.baseURL, maxRetries: 0 });

    await expect(
      unauthenticated.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('logs SDK calls like any other, under the caller', async () => {
    await gateway.flushExecutionLog();
    const rows = await gateway.dataSource.query(
      'SELECT provider, operation, success FROM execution_logs WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );

    expect(rows.slice(0, 4)).toEqual([
      { provider: 'openai', operation: 'chat.completions', success: true },
      { provider: 'anthropic', operation: 'chat.completions', success: true },
      { provider: 'openai', operation: 'chat.completions', success: true },
      { provider: 'openai', operation: 'embeddings', success: true },
    ]);
  });

  it('exposes Prometheus metrics for these calls', async () => {
    const metrics = await request(gateway.server).get('/metrics').expect(200);

    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toMatch(/gateway_requests_total\{provider="openai",operation="chat.completions",outcome="success"\} [1-9]/);
    expect(metrics.text).toMatch(/gateway_tokens_total\{provider="anthropic",kind="prompt"\} 12/);
    expect(metrics.text).toMatch(/gateway_overhead_seconds_count\{provider="openai"\} [1-9]/);
    expect(metrics.text).toContain('gateway_circuit_state{provider="openai"} 0');
    expect(metrics.text).toContain('gateway_execution_log_queue_depth');
    expect(metrics.text).toContain('gateway_estimated_cost_usd_total');
    expect(metrics.text).toContain('gateway_limit_admissions_total{decided_by="lease"} 0');
  });

  it('passes Structured Outputs, JSON mode and the tool/reasoning knobs through to OpenAI', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    openai.reply(openAiChatCompletion({ content: '{"city":"Paris"}' }));

    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Where is the Louvre?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } },
      parallel_tool_calls: false,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      logit_bias: { '50256': -100 },
      reasoning_effort: 'low',
    });

    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ city: 'Paris' });
    expect(openai.lastRequest().body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } },
      parallel_tool_calls: false,
      logit_bias: { '50256': -100 },
      reasoning_effort: 'low',
    });

    openai.reply(openAiChatCompletion({ content: '{}' }));
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'JSON please' }],
      response_format: { type: 'json_object' },
    });
    expect(openai.lastRequest().body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('refuses by name what it cannot pass on, and a malformed response_format', async () => {
    const refused = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
        response_format: { type: 'xml' } as never,
      })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const body = (refused as InstanceType<typeof OpenAI.APIError>).error as { details: Array<{ field: string; message: string }> };
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'params.responseFormat.type', message: 'must be one of the following values: text, json_object, json_schema' },
        { field: 'params.logprobs', message: 'is not a supported field' },
      ]),
    );
  });

  it('streams tool calls the way the SDK assembles them', async () => {
    const chunk = (delta: object, finishReason: string | null = null) => ({
      data: JSON.stringify({
        id: 'chatcmpl-up',
        object: 'chat.completion.chunk',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      }),
    });
    openai.reply({
      sse: [
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }),
        chunk({}, 'tool_calls'),
        { data: '[DONE]' },
      ],
    });

    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.choices[0].message.tool_calls).toEqual([
      { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
  });

  it("takes an answer's message back as history, as SDK code continues a conversation", async () => {
    openai.reply(openAiChatCompletion({ content: 'Hi there' }));
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    openai.reply(openAiChatCompletion({ content: 'Still here' }));

    // The answer's message as the SDK returns it (refusal: null), with the annotations OpenAI adds.
    const answer = { ...first.choices[0].message, annotations: [] };
    const second = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }, answer, { role: 'user', content: 'Again' }],
    });

    expect(second.choices[0].message.content).toBe('Still here');
    expect((openai.lastRequest().body as { messages: unknown[] }).messages[1]).toEqual({ role: 'assistant', content: 'Hi there' });
  });

  it('names an unknown field as sent, even one called like an Object method', async () => {
    const response = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(authAs(userId))
      .send({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], constructor: 1, toString: 2 })
      .expect(400);

    expect(response.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'params.constructor',
      'params.toString',
    ]);
  });
});

describe('what popular clients hit first, with the official openai SDK', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let gateway: TestApp;
  let baseURL: string;
  const userId = uniqueId('sdk-user');
  const client = (maxRetries = 0) => new OpenAI({ apiKey: tokenFor(userId), baseURL, maxRetries });
  const messages = [{ role: 'user' as const, content: 'Hello' }];

  beforeAll(async () => {
    openai = await FakeUpstream.start();
    anthropic = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-sdkClientsTests0123456',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-sdkClientsTests01',
      RETRY_MAX_ATTEMPTS: '3',
      RETRY_BASE_DELAY_MS: '1',
    });
    baseURL = `${await gateway.listen()}/v1`;
  });

  afterAll(async () => {
    await gateway.close();
    await openai.stop();
    await anthropic.stop();
  });

  it('takes tools marked strict: true, passes strict on to OpenAI, and accepts (but does not send) it for Anthropic', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
      },
    ];
    openai.reply(openAiChatCompletion());
    anthropic.reply(anthropicMessage());

    await client().chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    await client().chat.completions.create({ model: 'anthropic/claude-3-5-sonnet-latest', messages, tools });

    expect(openai.lastRequest().body).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }] });
    expect(JSON.stringify(anthropic.lastRequest().body)).not.toContain('strict');
  });

  it('answers errors as OpenAI error objects, so the SDK raises the right class', async () => {
    openai.reply({
      status: 404,
      body: { error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', param: null, code: 'model_not_found' } },
    });
    const notFound = await client()
      .chat.completions.create({ model: 'gpt-9', messages })
      .catch((error: unknown) => error);
    const badRequest = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages, logprobs: true })
      .catch((error: unknown) => error);
    const unauthenticated = await new OpenAI({ apiKey: 'not-a-token', baseURL, maxRetries: 0 }).models
      .list()
      .catch((error: unknown) => error);

    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    expect((notFound as InstanceType<typeof OpenAI.APIError>).type).toBe('invalid_request_error');
    expect((notFound as InstanceType<typeof OpenAI.APIError>).code).toBe('PROVIDER_BAD_REQUEST');
    expect(badRequest).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badRequest).toMatchObject({ type: 'invalid_request_error', param: 'params.logprobs', code: 'VALIDATION_FAILED' });
    expect(unauthenticated).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthenticated).toMatchObject({ type: 'authentication_error', code: 'UNAUTHENTICATED' });
  });

  it('reports the upstream’s model in streamed chunks, as whole answers do', async () => {
    const chunk = (delta: object, finishReason: string | null = null) => ({
      data: JSON.stringify({
        id: 'chatcmpl-up',
        object: 'chat.completion.chunk',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      }),
    });
    openai.reply({ sse: [chunk({ role: 'assistant', content: 'Hi' }), chunk({}, 'stop'), { data: '[DONE]' }] });

    const models: string[] = [];
    for await (const part of await client().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }))
      models.push(part.model);

    expect(new Set(models)).toEqual(new Set(['gpt-4o-mini-2024-07-18']));
  });

  it('does not stack its retries on an SDK’s: one attempt per SDK request, x-gateway-max-attempts to ask for more', async () => {
    openai.reply({
      status: 429,
      headers: { 'retry-after-ms': '1' },
      body: { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    });
    const before = openai.received.length;

    // The SDK retries once itself (maxRetries: 1): two SDK requests, one upstream attempt each.
    await client(1)
      .chat.completions.create({ model: 'gpt-4o-mini', messages })
      .catch(() => undefined);
    const viaSdk = openai.received.length - before;
    // A plain HTTP caller gets the gateway's own retries (RETRY_MAX_ATTEMPTS 3), or what it asks for.
    await request(gateway.server).post('/v1/chat/completions').set(authAs(userId)).send({ model: 'gpt-4o-mini', messages }).expect(429);
    const plain = openai.received.length - before - viaSdk;
    await request(gateway.server)
      .post('/v1/chat/completions')
      .set(authAs(userId))
      .set('x-gateway-max-attempts', '2')
      .send({ model: 'gpt-4o-mini', messages })
      .expect(429);
    const asked = openai.received.length - before - viaSdk - plain;
    const refused = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(authAs(userId))
      .set('x-gateway-max-attempts', 'many')
      .send({ model: 'gpt-4o-mini', messages });

    expect({ viaSdk, plain, asked }).toEqual({ viaSdk: 2, plain: 3, asked: 2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', param: 'x-gateway-max-attempts' });
  });
});
