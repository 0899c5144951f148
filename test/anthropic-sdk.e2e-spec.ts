import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiToolCallCompletion } from './support/openai-replies.js';
import { anthropicMessage } from './support/provider-replies.js';
import { startTestApp, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

const anthropicEvent = (event: string, data: Record<string, unknown>) => ({ event, data: JSON.stringify({ type: event, ...data }) });
/** Anthropic's published event sequence for a short text answer. */
const ANTHROPIC_STREAM = [
  anthropicEvent('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-5-sonnet-20241022',
      content: [],
      usage: { input_tokens: 12, output_tokens: 1 },
    },
  }),
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' there' } }),
  anthropicEvent('content_block_stop', { index: 0 }),
  anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
  anthropicEvent('message_stop', {}),
];

/** The official @anthropic-ai/sdk, unmodified, pointed at the gateway with a caller's token as its key. */
describe('Anthropic-compatible surface (/v1/messages) with the official @anthropic-ai/sdk', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let gateway: TestApp;
  let baseURL: string;
  const token = tokenFor(uniqueId('claude-user'));
  const client = () => new Anthropic({ apiKey: token, baseURL, maxRetries: 0 });

  beforeAll(async () => {
    openai = await FakeUpstream.start();
    anthropic = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-anthropicSurface012345',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-anthropicSurface01',
    });
    baseURL = await gateway.listen();
  });

  afterAll(async () => {
    await gateway.close();
    await openai.stop();
    await anthropic.stop();
  });

  it('messages.create with a Claude model: Anthropic gets the request nearly as sent, the SDK a Message', async () => {
    anthropic.reply(anthropicMessage({ content: [{ type: 'text', text: 'Hi from Claude' }] }));

    // temperature and top_k: gone from the current SDK's types, still sent by older SDKs and other tools.
    const message = await client().messages.create({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.5,
      top_k: 40,
    } as Anthropic.MessageCreateParamsNonStreaming);

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Hi from Claude' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 12, output_tokens: 3 },
    });
    // The same request; a string content arrives as its one text block, which Anthropic reads alike.
    expect(anthropic.lastRequest().body).toMatchObject({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      temperature: 0.5,
      top_k: 40,
    });
  });

  it('routes provider/model to other providers, translating tools, tool_use turns, tool_result turns and images', async () => {
    openai.reply(openAiToolCallCompletion());
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather now',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ];

    const first = await client().messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 64,
      tools,
      tool_choice: { type: 'any' },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
      ],
    });

    expect(first).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
    });
    expect(openai.lastRequest().body).toMatchObject({
      model: 'gpt-4o-mini',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });

    openai.reply(openAiChatCompletion({ content: 'Sunny in Paris' }));
    const second = await client().messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'Weather here?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '18°C, sunny' }] },
      ],
    });

    expect(second.content).toEqual([{ type: 'text', text: 'Sunny in Paris' }]);
    expect((openai.lastRequest().body as { messages: unknown[] }).messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', content: '18°C, sunny', tool_call_id: 'call_1' },
    ]);
  });

  it('streams in Anthropic’s event sequence, from Anthropic and from OpenAI alike', async () => {
    anthropic.reply({ sse: ANTHROPIC_STREAM });
    const fromClaude = await client()
      .messages.stream({ model: 'claude-3-5-sonnet-latest', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] })
      .finalMessage();

    const chunk = (delta: object, finishReason: string | null = null) => ({
      data: JSON.stringify({
        id: 'c',
        object: 'chat.completion.chunk',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      }),
    });
    openai.reply({
      sse: [
        chunk({ role: 'assistant', content: 'Hi' }),
        chunk({ content: ' you' }),
        chunk({}, 'stop'),
        {
          data: JSON.stringify({
            id: 'c',
            object: 'chat.completion.chunk',
            choices: [],
            usage: { prompt_tokens: 5, completion_tokens: 2 },
          }),
        },
        { data: '[DONE]' },
      ],
    });
    const events: string[] = [];
    const stream = client().messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    stream.on('streamEvent', (event) => events.push(event.type));
    const fromOpenAi = await stream.finalMessage();

    expect(fromClaude).toMatchObject({
      model: 'claude-3-5-sonnet-20241022',
      content: [{ type: 'text', text: 'Hello there' }],
      stop_reason: 'end_turn',
      usage: { output_tokens: 3 },
    });
    expect(fromOpenAi).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      content: [{ type: 'text', text: 'Hi you' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 5, output_tokens: 2 },
    });
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('answers errors as Anthropic error objects, so the SDK raises the right class', async () => {
    const unauthenticated = await new Anthropic({ apiKey: 'not-a-token', baseURL, maxRetries: 0 }).messages
      .create({ model: 'claude-3-5-sonnet-latest', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    const invalid = await client()
      .messages.create({
        model: 'claude-3-5-sonnet-latest',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
        thinking: { type: 'enabled', budget_tokens: 1024 },
      })
      .catch((error: unknown) => error);
    anthropic.reply({ status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-9' } } });
    const notFound = await client()
      .messages.create({ model: 'claude-9', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);

    expect(unauthenticated).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(invalid).toBeInstanceOf(Anthropic.BadRequestError);
    expect((invalid as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'VALIDATION_FAILED', field: 'thinking' },
    });
    expect(notFound).toBeInstanceOf(Anthropic.NotFoundError);
    expect((notFound as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', code: 'PROVIDER_BAD_REQUEST' },
    });
  });
});
