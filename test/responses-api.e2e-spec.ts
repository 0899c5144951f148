import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { FakeUpstream } from './support/fake-upstream.js';
import { anthropicMessage } from './support/provider-replies.js';
import { startTestApp, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

/** A Response object as OpenAI's Responses API answers. */
function openAiResponse(output: unknown[], usage = { input_tokens: 10, output_tokens: 2, total_tokens: 12 }) {
  return {
    body: {
      id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      object: 'response',
      created_at: 1741476542,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-4o-mini-2024-07-18',
      output,
      usage: { ...usage, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
      store: false,
    },
  };
}

const responsesEvent = (type: string, data: Record<string, unknown>) => ({ event: type, data: JSON.stringify({ type, ...data }) });

describe('The Responses API (/v1/responses) with the official openai SDK', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let gateway: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    openai = await FakeUpstream.start();
    anthropic = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-responsesApiTests012345',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-responsesApiTests0',
    });
    client = new OpenAI({ apiKey: tokenFor(uniqueId('responses-user')), baseURL: `${await gateway.listen()}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway.close();
    await openai.stop();
    await anthropic.stop();
  });

  it('sends OpenAI models to OpenAI as the Responses API (stateless) and answers its Response', async () => {
    openai.reply(
      openAiResponse([
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hi there', annotations: [] }],
        },
      ]),
    );

    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: 'Hello',
      max_output_tokens: 32,
    });

    expect(response.output_text).toBe('Hi there');
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
    });
    expect(openai.lastRequest()).toMatchObject({
      path: '/responses',
      body: { model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'Hello', max_output_tokens: 32, store: false },
    });
  });

  it('translates to chat for other providers: instructions, input items, function tools, function calls and their outputs', async () => {
    anthropic.reply(
      anthropicMessage({
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        stopReason: 'tool_use',
      }),
    );
    const tools = [
      {
        type: 'function' as const,
        name: 'get_weather',
        description: 'Weather now',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        strict: false,
      },
    ];

    const first = await client.responses.create({
      model: 'anthropic/claude-3-5-sonnet-latest',
      instructions: 'Use tools.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] }],
      tools,
      max_output_tokens: 64,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(anthropic.lastRequest().body).toMatchObject({
      system: 'Use tools.',
      max_tokens: 64,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });

    anthropic.reply(anthropicMessage({ content: [{ type: 'text', text: '18°C and sunny' }] }));
    const second = await client.responses.create({
      model: 'anthropic/claude-3-5-sonnet-latest',
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        call!,
        { type: 'function_call_output', call_id: 'toolu_1', output: '18°C, sunny' },
      ],
      tools,
      max_output_tokens: 64,
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);

    expect(second.output_text).toBe('18°C and sunny');
    expect((anthropic.lastRequest().body as { messages: unknown[] }).messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C, sunny' }] },
    ]);
  });

  it('streams typed events the SDK assembles, from OpenAI’s own stream and from a translated one', async () => {
    openai.reply({
      sse: [
        responsesEvent('response.created', {
          sequence_number: 0,
          response: { id: 'resp_1', object: 'response', status: 'in_progress', model: 'gpt-4o-mini-2024-07-18', output: [] },
        }),
        responsesEvent('response.output_item.added', {
          sequence_number: 1,
          output_index: 0,
          item: { type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] },
        }),
        responsesEvent('response.output_text.delta', {
          sequence_number: 2,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta: 'Hel',
        }),
        responsesEvent('response.output_text.delta', {
          sequence_number: 3,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta: 'lo',
        }),
        responsesEvent('response.completed', {
          sequence_number: 4,
          response: {
            id: 'resp_1',
            object: 'response',
            status: 'completed',
            model: 'gpt-4o-mini-2024-07-18',
            output: [],
            usage: { input_tokens: 7, output_tokens: 2, total_tokens: 9 },
          },
        }),
      ],
    });
    const deltas: string[] = [];
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Hello' });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const fromOpenAi = await stream.finalResponse();

    anthropic.reply({
      sse: [
        {
          event: 'message_start',
          data: JSON.stringify({
            type: 'message_start',
            message: { model: 'claude-3-5-sonnet-20241022', usage: { input_tokens: 5, output_tokens: 1 } },
          }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Bonjour' } }),
        },
        {
          event: 'message_delta',
          data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }),
        },
        { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
      ],
    });
    const fromClaude = await client.responses
      .stream({ model: 'anthropic/claude-3-5-sonnet-latest', input: 'Hello', max_output_tokens: 16 })
      .finalResponse();

    expect(deltas).toEqual(['Hel', 'lo']);
    expect(fromOpenAi).toMatchObject({
      status: 'completed',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { input_tokens: 7, output_tokens: 2 },
    });
    expect(fromOpenAi.output_text).toBe('Hello');
    expect(openai.lastRequest().body).toMatchObject({ stream: true, store: false });
    expect(fromClaude.output_text).toBe('Bonjour');
    expect(fromClaude.usage).toMatchObject({ input_tokens: 5, output_tokens: 2 });
  });

  it('answers a reply cut short by the token limit as incomplete, with the reason, plain and streamed', async () => {
    anthropic.reply(anthropicMessage({ content: [{ type: 'text', text: 'Once upon' }], stopReason: 'max_tokens' }));
    const plain = await client.responses.create({ model: 'anthropic/claude-3-5-sonnet-latest', input: 'A story', max_output_tokens: 2 });

    anthropic.reply({
      sse: [
        {
          event: 'message_start',
          data: JSON.stringify({ type: 'message_start', message: { model: 'claude-3-5-sonnet-20241022', usage: { input_tokens: 5 } } }),
        },
        {
          event: 'content_block_delta',
          data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Once upon' } }),
        },
        {
          event: 'message_delta',
          data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 2 } }),
        },
        { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
      ],
    });
    const events = await client.responses.create({
      model: 'anthropic/claude-3-5-sonnet-latest',
      input: 'A story',
      max_output_tokens: 2,
      stream: true,
    });
    let last: OpenAI.Responses.ResponseStreamEvent | undefined;
    for await (const event of events) last = event;

    expect(plain).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(plain.output_text).toBe('Once upon');
    expect(last).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { output_tokens: 2 } },
    });
  });

  it('refuses previous_response_id with a 400 saying why: the gateway keeps no responses', async () => {
    const refused = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Again', previous_response_id: 'resp_1' })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({ param: 'previous_response_id', code: 'VALIDATION_FAILED' });
    expect((refused as Error).message).toContain('keeps no responses');
  });
});
