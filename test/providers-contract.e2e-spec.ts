import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream, type ScriptedReply } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError, openAiToolCallCompletion } from './support/openai-replies.js';
import { anthropicError, anthropicMessage, huggingFaceChat, huggingFaceError, huggingFaceRouterError } from './support/provider-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

/**
 * One table, every provider: a caller switching `provider` gets the same normalized shape and the
 * same error codes, whichever upstream (a real local HTTP server speaking that provider's API) answers.
 */
interface ProviderCase {
  provider: string;
  operation: string;
  upstream: () => FakeUpstream;
  success: ScriptedReply;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  errors: {
    auth: ScriptedReply;
    rateLimit: ScriptedReply;
    context: ScriptedReply;
    overloaded: ScriptedReply;
    badRequest: ScriptedReply;
  };
}

const fakes: Record<string, FakeUpstream> = {};
const OPENAI_STYLE_ERRORS = {
  auth: openAiError(401, 'Incorrect API key provided: sk-***1234.', 'invalid_request_error', 'invalid_api_key'),
  rateLimit: openAiError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', { 'retry-after': '7' }),
  context: openAiError(
    400,
    "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.",
    'invalid_request_error',
    'context_length_exceeded',
  ),
  overloaded: openAiError(503, 'The engine is currently overloaded, please try again later', 'server_error', null),
  badRequest: openAiError(400, "Invalid value for 'temperature'", 'invalid_request_error', null),
};
const openAiStyleSuccess = { ...openAiChatCompletion({ content: 'Hello!' }) };

const CASES: ProviderCase[] = [
  {
    provider: 'openai',
    operation: 'chat.completions',
    upstream: () => fakes.openai,
    success: openAiStyleSuccess,
    usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 },
    errors: OPENAI_STYLE_ERRORS,
  },
  {
    provider: 'anthropic',
    operation: 'chat.completions',
    upstream: () => fakes.anthropic,
    success: anthropicMessage(),
    usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
    errors: {
      auth: anthropicError(401, 'authentication_error', 'invalid x-api-key'),
      rateLimit: anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', {
        'retry-after': '7',
      }),
      context: anthropicError(400, 'invalid_request_error', 'prompt is too long: 208923 tokens > 200000 maximum'),
      overloaded: anthropicError(529, 'overloaded_error', 'Overloaded'),
      badRequest: anthropicError(400, 'invalid_request_error', 'temperature: range: 0..1'),
    },
  },
  {
    provider: 'huggingface',
    operation: 'chat.completions',
    upstream: () => fakes.huggingface,
    success: huggingFaceChat(),
    usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
    // As the Inference Providers router answers: its own errors as {error: "…"}, the routed provider's OpenAI-shaped.
    errors: {
      auth: huggingFaceError(401, 'Invalid username or password.'),
      rateLimit: huggingFaceError(429, 'Rate limit reached. Please retry later.', {}, { 'retry-after': '7' }),
      context: huggingFaceRouterError(400, "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens."),
      overloaded: huggingFaceRouterError(503, 'The provider is overloaded, please try again later'),
      badRequest: huggingFaceRouterError(400, 'temperature must be between 0 and 2'),
    },
  },
  // Custom providers: OpenAI-compatible servers declared in CUSTOM_PROVIDERS, answering as OpenAI does.
  ...['groq', 'azure', 'ollama'].map((provider) => ({
    provider,
    operation: 'chat.completions',
    upstream: () => fakes[provider],
    success: openAiStyleSuccess,
    usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 },
    errors: OPENAI_STYLE_ERRORS,
  })),
];

const ERROR_EXPECTATIONS = [
  { scenario: 'auth', status: 424, code: 'PROVIDER_AUTH_FAILED', retryable: false },
  { scenario: 'rateLimit', status: 429, code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterMs: 7000 },
  { scenario: 'context', status: 400, code: 'CONTEXT_LENGTH_EXCEEDED', retryable: false },
  { scenario: 'overloaded', status: 502, code: 'PROVIDER_UNAVAILABLE', retryable: true },
  { scenario: 'badRequest', status: 400, code: 'PROVIDER_BAD_REQUEST', retryable: false },
] as const;

/** The structure of a value: its keys and their types, recursively, values left out. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, shapeOf(item)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

describe('one normalized contract across providers', () => {
  let gateway: TestApp;
  const userId = uniqueId('user');
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello' },
  ];

  beforeAll(async () => {
    for (const name of ['openai', 'anthropic', 'huggingface', 'groq', 'azure', 'ollama']) fakes[name] = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: `${fakes.openai.url}/v1`,
      OPENAI_API_KEY: 'sk-proj-contractOpenAi0123456',
      ANTHROPIC_BASE_URL: fakes.anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-contractAnthropic01',
      HUGGINGFACE_BASE_URL: fakes.huggingface.url,
      HUGGINGFACE_API_KEY: 'hf_contractHuggingFace0123',
      GROQ_API_KEY: 'gsk_contractGroqKey0123456789',
      AZURE_OPENAI_KEY: 'azure-contract-key-0123456789',
      CUSTOM_PROVIDER_ALLOWED_HOSTS: '127.0.0.1',
      CUSTOM_PROVIDERS: JSON.stringify([
        {
          name: 'groq',
          displayName: 'Groq',
          baseUrl: `${fakes.groq.url}/openai/v1`,
          defaultModel: 'llama-3.1-8b-instant',
          apiKeyEnv: 'GROQ_API_KEY',
        },
        {
          name: 'azure',
          displayName: 'Azure OpenAI',
          baseUrl: `${fakes.azure.url}/openai/deployments/gpt4o`,
          defaultModel: 'gpt-4o',
          defaultEmbeddingModel: 'text-embedding-3-small',
          authHeader: 'api-key',
          apiKeyEnv: 'AZURE_OPENAI_KEY',
          queryParams: { 'api-version': '2024-10-21' },
          maxTokensField: 'max_completion_tokens',
        },
        { name: 'ollama', baseUrl: `${fakes.ollama.url}/v1`, defaultModel: 'llama3.2', authHeader: 'none' },
      ]),
    });
  });

  afterAll(async () => {
    await gateway.close();
    for (const fake of Object.values(fakes)) await fake.stop();
  });

  const execute = (provider: string, operation: string, params: object) =>
    request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send({ provider, operation, params });

  it('answers the same normalized shape from every provider', async () => {
    const shapes = new Map<string, unknown>();
    for (const testCase of CASES) {
      testCase.upstream().reply(testCase.success);

      const response = await execute(testCase.provider, testCase.operation, { messages, maxTokens: 64 }).expect(200);

      expect(response.body.data).toMatchObject({
        provider: testCase.provider,
        content: 'Hello!',
        finishReason: 'stop',
        usage: testCase.usage,
      });
      expect(response.body.data.model).toEqual(expect.any(String));
      expect(response.body.data.metadata).toMatchObject({
        requestId: response.headers['x-request-id'],
        upstreamLatencyMs: expect.any(Number),
      });
      expect(response.body).toMatchObject({ success: true, requestId: response.headers['x-request-id'], durationMs: expect.any(Number) });
      const { metadata: _metadata, ...contract } = response.body.data;
      shapes.set(testCase.provider, shapeOf(contract));
    }
    const [first, ...rest] = [...shapes.values()];
    for (const shape of rest) expect(shape).toEqual(first);
    expect(first).toEqual({
      content: 'string',
      finishReason: 'string',
      model: 'string',
      provider: 'string',
      usage: { completionTokens: 'number', promptTokens: 'number', totalTokens: 'number' },
    });
  });

  describe.each(ERROR_EXPECTATIONS)('$scenario → $code for every provider', ({ scenario, status, code, retryable, ...rest }) => {
    it.each(CASES.map((testCase) => [testCase.provider, testCase] as const))('%s', async (_provider, testCase) => {
      testCase.upstream().reply(testCase.errors[scenario]);

      const response = await execute(testCase.provider, testCase.operation, { messages }).expect(status);

      expect(response.body).toMatchObject({ code, retryable, provider: testCase.provider });
      if ('retryAfterMs' in rest) expect(response.body.retryAfterMs).toBe(rest.retryAfterMs);
    });
  });

  it('sends each custom provider its own auth style, path and query, with no new code', async () => {
    for (const name of ['groq', 'azure', 'ollama']) fakes[name].reply(openAiStyleSuccess);

    await execute('groq', 'chat.completions', { messages, maxTokens: 20 }).expect(200);
    await execute('azure', 'chat.completions', { messages, maxTokens: 20 }).expect(200);
    await execute('ollama', 'chat.completions', { messages }).expect(200);

    expect(fakes.groq.lastRequest()).toMatchObject({
      path: '/openai/v1/chat/completions',
      headers: { authorization: 'Bearer gsk_contractGroqKey0123456789' },
    });
    expect(fakes.groq.lastRequest().body).toMatchObject({ model: 'llama-3.1-8b-instant', max_tokens: 20 });
    expect(fakes.azure.lastRequest().body).toMatchObject({ max_completion_tokens: 20 });
    expect(fakes.azure.lastRequest().body).not.toHaveProperty('max_tokens');
    expect(fakes.azure.lastRequest()).toMatchObject({
      path: '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': 'azure-contract-key-0123456789' },
    });
    expect(fakes.azure.lastRequest().headers.authorization).toBeUndefined();
    expect(fakes.ollama.lastRequest().headers.authorization).toBeUndefined();
  });

  it('lists built-in and custom providers with their operations and key availability', async () => {
    const response = await request(gateway.server).get('/api/integrations/providers').set(authAs(userId)).expect(200);

    const summary = response.body.providers.map(
      (provider: { name: string; operations: Array<{ name: string }>; credentialAvailable: boolean; requiresCredential: boolean }) => [
        provider.name,
        provider.operations.map((operation) => operation.name),
        provider.requiresCredential,
        provider.credentialAvailable,
      ],
    );
    expect(summary).toEqual([
      ['openai', ['chat.completions', 'image.description', 'embeddings', 'responses'], true, true],
      ['anthropic', ['messages', 'chat.completions', 'image.description'], true, true],
      ['huggingface', ['chat.completions', 'image.description', 'text.generation', 'embeddings'], true, true],
      ['groq', ['chat.completions', 'image.description'], true, true],
      ['azure', ['chat.completions', 'image.description', 'embeddings'], true, true],
      ['ollama', ['chat.completions', 'image.description'], false, true],
    ]);
  });

  it('rejects an operation a provider does not offer with OPERATION_NOT_SUPPORTED', async () => {
    for (const [provider, operation] of [
      ['anthropic', 'embeddings'],
      ['groq', 'embeddings'],
      ['openai', 'text.generation'],
      ['huggingface', 'messages'],
    ]) {
      const response = await execute(provider, operation, { input: 'x' }).expect(400);
      expect(response.body).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED', field: 'operation' });
    }
  });

  describe('Anthropic specifics', () => {
    it('translates OpenAI-style chat: system turns to `system`, maxTokens to max_tokens, stop to stop_sequences, with its headers', async () => {
      fakes.anthropic.reply(anthropicMessage());

      await execute('anthropic', 'chat.completions', {
        messages: [...messages, { role: 'assistant', content: 'Hi' }, { role: 'user', content: 'Again' }],
        maxTokens: 50,
        temperature: 0.5,
        stop: 'END',
      }).expect(200);

      const sent = fakes.anthropic.lastRequest();
      expect(sent.path).toBe('/v1/messages');
      expect(sent.headers).toMatchObject({ 'x-api-key': 'sk-ant-api03-contractAnthropic01', 'anthropic-version': '2023-06-01' });
      expect(sent.body).toEqual({
        model: 'claude-3-5-sonnet-latest',
        max_tokens: 50,
        system: 'Be brief.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'user', content: [{ type: 'text', text: 'Again' }] },
        ],
        temperature: 0.5,
        stop_sequences: ['END'],
      });
    });

    it('sends a default max_tokens (Anthropic requires one) and accepts a top-level system on `messages`', async () => {
      fakes.anthropic.reply(anthropicMessage());

      await execute('anthropic', 'messages', { system: 'You are terse.', messages: [{ role: 'user', content: 'Hi' }], topK: 5 }).expect(
        200,
      );

      expect(fakes.anthropic.lastRequest().body).toMatchObject({ max_tokens: 1024, system: 'You are terse.', top_k: 5 });
    });

    it('honours topK on chat.completions too (the platform callers send it there)', async () => {
      fakes.anthropic.reply(anthropicMessage());

      await execute('anthropic', 'chat.completions', { messages: [{ role: 'user', content: 'Hi' }], topK: 3 }).expect(200);

      expect(fakes.anthropic.lastRequest().body).toMatchObject({ top_k: 3 });
    });

    it('maps tool use both ways', async () => {
      fakes.anthropic.reply(
        anthropicMessage({
          stopReason: 'tool_use',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
          ],
        }),
      );
      const tools = [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ];

      const response = await execute('anthropic', 'chat.completions', {
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'toolu_00', name: 'get_weather', arguments: '{"city":"Rome"}' }] },
          { role: 'tool', toolCallId: 'toolu_00', content: 'sunny' },
        ],
        tools,
        toolChoice: 'required',
      }).expect(200);

      expect(response.body.data).toMatchObject({
        finishReason: 'tool_calls',
        content: 'Checking.',
        toolCalls: [{ id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      });
      expect(fakes.anthropic.lastRequest().body).toMatchObject({
        tools: [{ name: 'get_weather', description: 'Weather by city', input_schema: tools[0].function.parameters }],
        tool_choice: { type: 'any' },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_00', name: 'get_weather', input: { city: 'Rome' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_00', content: 'sunny' }] },
        ],
      });
    });

    it('turns OpenAI-style image parts into Anthropic image blocks and passes its own blocks on', async () => {
      fakes.anthropic.reply(anthropicMessage());
      const nativeDocument = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } };

      await execute('anthropic', 'chat.completions', {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
              nativeDocument,
            ],
          },
        ],
      }).expect(200);

      expect(fakes.anthropic.lastRequest().body).toMatchObject({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
              nativeDocument,
            ],
          },
        ],
      });
    });

    it('refuses parameters Anthropic cannot honour instead of dropping them', async () => {
      const response = await execute('anthropic', 'chat.completions', {
        messages,
        seed: 1,
        temperature: 1.5,
        responseFormat: { type: 'json_object' },
        logitBias: { '1': 5 },
        reasoningEffort: 'high',
      }).expect(400);

      expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
        'params.logitBias',
        'params.reasoningEffort',
        'params.responseFormat',
        'params.seed',
        'params.temperature',
      ]);
    });

    it('turns parallelToolCalls: false into disable_parallel_tool_use, and accepts the default text format', async () => {
      fakes.anthropic.reply(anthropicMessage());
      const tools = [{ type: 'function', function: { name: 'get_weather' } }];

      await execute('anthropic', 'chat.completions', {
        messages,
        tools,
        parallelToolCalls: false,
        responseFormat: { type: 'text' },
      }).expect(200);
      expect(fakes.anthropic.lastRequest().body).toMatchObject({ tool_choice: { type: 'auto', disable_parallel_tool_use: true } });

      fakes.anthropic.reply(anthropicMessage());
      await execute('anthropic', 'chat.completions', { messages, tools, toolChoice: 'get_weather', parallelToolCalls: false }).expect(200);
      expect(fakes.anthropic.lastRequest().body).toMatchObject({
        tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      });
    });
  });

  describe('HuggingFace through the Inference Providers router (the default)', () => {
    it('lists its catalog models, default first, with the router’s own /v1/models for the caller’s key merged in', async () => {
      // The router's model list, as it answers (OpenAI-shaped, with the providers serving each model).
      fakes.huggingface.reply({
        body: {
          object: 'list',
          data: [
            { id: 'meta-llama/Llama-3.2-3B-Instruct', object: 'model', owned_by: 'meta-llama', providers: [{ provider: 'novita' }] },
            { id: 'moonshotai/Kimi-K2-Instruct', object: 'model', owned_by: 'moonshotai', providers: [{ provider: 'groq' }] },
          ],
        },
      });

      const response = await request(gateway.server)
        .get('/api/integrations/providers/huggingface/models')
        .set(authAs(uniqueId('user')))
        .expect(200);

      const ids = response.body.models.map((model: { id: string }) => model.id);
      expect(ids[0]).toBe('meta-llama/Llama-3.2-3B-Instruct');
      expect(ids).toEqual(
        expect.arrayContaining(['Qwen/Qwen2.5-VL-7B-Instruct', 'deepseek-ai/DeepSeek-R1', 'moonshotai/Kimi-K2-Instruct']),
      );
      expect(fakes.huggingface.lastRequest()).toMatchObject({
        method: 'GET',
        path: '/v1/models',
        headers: { authorization: 'Bearer hf_contractHuggingFace0123' },
      });
      const vision = response.body.models.find((model: { id: string }) => model.id === 'Qwen/Qwen2.5-VL-7B-Instruct');
      expect(vision.capabilities).toEqual(expect.arrayContaining(['chat', 'vision']));
    });

    it('sends chat to /v1/chat/completions with the model in the body, a :provider suffix passed through', async () => {
      fakes.huggingface.reply(huggingFaceChat('Hi!', 'meta-llama/Llama-3.1-8B-Instruct'));

      await execute('huggingface', 'chat.completions', { messages, maxTokens: 8 }).expect(200);
      expect(fakes.huggingface.lastRequest()).toMatchObject({
        path: '/v1/chat/completions',
        headers: { authorization: 'Bearer hf_contractHuggingFace0123' },
        body: { model: 'meta-llama/Llama-3.2-3B-Instruct', max_tokens: 8 },
      });
      const pinned = await execute('huggingface', 'chat.completions', { messages, model: 'meta-llama/Llama-3.1-8B-Instruct:groq' }).expect(
        200,
      );
      expect(fakes.huggingface.lastRequest().body).toMatchObject({ model: 'meta-llama/Llama-3.1-8B-Instruct:groq' });
      expect(pinned.body.data).toMatchObject({ provider: 'huggingface', model: 'meta-llama/Llama-3.1-8B-Instruct', content: 'Hi!' });
    });

    it('sends text.generation as a one-turn chat and answers it normalized', async () => {
      fakes.huggingface.reply(huggingFaceChat(' there, friend.'));

      const response = await execute('huggingface', 'text.generation', { prompt: 'Hello', maxTokens: 4, temperature: 0.7 }).expect(200);

      expect(fakes.huggingface.lastRequest()).toMatchObject({
        path: '/v1/chat/completions',
        body: {
          model: 'meta-llama/Llama-3.2-3B-Instruct',
          messages: [{ role: 'user', content: 'Hello' }],
          max_tokens: 4,
          temperature: 0.7,
        },
      });
      expect(response.body.data).toMatchObject({
        provider: 'huggingface',
        content: ' there, friend.',
        finishReason: 'stop',
        usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 },
      });
    });

    it("sends embeddings to the router's hf-inference feature-extraction pipeline, one vector per input", async () => {
      fakes.huggingface.reply({
        body: [
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ],
      });

      const batch = await execute('huggingface', 'embeddings', { input: ['first', 'second'] }).expect(200);
      fakes.huggingface.reply({ body: [0.7, 0.8, 0.9] });
      const single = await execute('huggingface', 'embeddings', { input: 'only' }).expect(200);

      expect(fakes.huggingface.lastRequest()).toMatchObject({
        path: '/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction',
        body: { inputs: 'only' },
      });
      expect(batch.body.data).toMatchObject({
        content: null,
        embeddings: [
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ],
        finishReason: 'stop',
      });
      expect(single.body.data.embeddings).toEqual([[0.7, 0.8, 0.9]]);
    });

    it('maps the router’s 402 (credits used up) to PROVIDER_QUOTA_EXCEEDED and 404 (unknown model) to PROVIDER_BAD_REQUEST', async () => {
      fakes.huggingface.reply(
        huggingFaceError(
          402,
          'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.',
        ),
      );
      const quota = await execute('huggingface', 'chat.completions', { messages }).expect(429);
      fakes.huggingface.reply(huggingFaceError(404, 'Model nobody/nothing does not exist'));
      const unknown = await execute('huggingface', 'chat.completions', { messages, model: 'nobody/nothing' }).expect(400);

      expect(quota.body).toMatchObject({ code: 'PROVIDER_QUOTA_EXCEEDED', retryable: false, provider: 'huggingface' });
      expect(quota.body.error).toContain('monthly included credits');
      expect(unknown.body).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', provider: 'huggingface' });
      expect(unknown.body.error).toContain('does not exist');
    });

    it('refuses model ids that would escape a path, and a :provider suffix where the model goes into the URL', async () => {
      const escape = await execute('huggingface', 'chat.completions', { messages, model: '../../admin' }).expect(400);
      const suffixed = await execute('huggingface', 'embeddings', { input: 'x', model: 'BAAI/bge-m3:groq' }).expect(400);

      expect(escape.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.model' });
      expect(suffixed.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.model' });
    });
  });

  describe('OpenAI tools', () => {
    it('passes tools through and normalizes tool calls', async () => {
      fakes.openai.reply(openAiToolCallCompletion());

      const response = await execute('openai', 'chat.completions', {
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        toolChoice: 'get_weather',
      }).expect(200);

      expect(response.body.data).toMatchObject({
        content: '',
        finishReason: 'tool_calls',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      });
      expect(fakes.openai.lastRequest().body).toMatchObject({
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      });
    });
  });
});

describe('HuggingFace legacy paths (HUGGINGFACE_API_STYLE=legacy: self-hosted text-generation-inference, Inference Endpoints)', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const execute = (operation: string, params: object) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send({ provider: 'huggingface', operation, params });

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      HUGGINGFACE_BASE_URL: upstream.url,
      HUGGINGFACE_API_STYLE: 'legacy',
      HUGGINGFACE_API_KEY: 'hf_contractLegacyHuggingFace01',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('text.generation returns generated_text with generated token counts', async () => {
    upstream.reply({
      body: [{ generated_text: ' there, friend.', details: { finish_reason: 'length', generated_tokens: 4, seed: null } }],
    });

    const response = await execute('text.generation', { prompt: 'Hello', maxTokens: 4, temperature: 0.7 }).expect(200);

    expect(upstream.lastRequest()).toMatchObject({
      path: '/models/meta-llama/Llama-3.2-3B-Instruct',
      headers: { authorization: 'Bearer hf_contractLegacyHuggingFace01' },
      body: { inputs: 'Hello', parameters: { max_new_tokens: 4, temperature: 0.7, return_full_text: false, details: true } },
    });
    expect(response.body.data).toMatchObject({
      provider: 'huggingface',
      content: ' there, friend.',
      finishReason: 'length',
      usage: { promptTokens: 2, completionTokens: 4, totalTokens: 6 },
      metadata: { usageEstimated: true },
    });
  });

  it('chat goes to the model’s Messages API and embeddings to its feature-extraction pipeline', async () => {
    upstream.reply(huggingFaceChat());
    await execute('chat.completions', { messages: [{ role: 'user', content: 'Hi' }] }).expect(200);
    expect(upstream.lastRequest().path).toBe('/models/meta-llama/Llama-3.2-3B-Instruct/v1/chat/completions');

    upstream.reply({ body: [0.7, 0.8, 0.9] });
    await execute('embeddings', { input: 'only' }).expect(200);
    expect(upstream.lastRequest().path).toBe('/pipeline/feature-extraction/sentence-transformers/all-MiniLM-L6-v2');
  });

  it('a model still loading is a retryable PROVIDER_UNAVAILABLE carrying the estimated wait', async () => {
    upstream.reply(huggingFaceError(503, 'Model sentence-transformers/all-MiniLM-L6-v2 is currently loading', { estimated_time: 20.5 }));

    const response = await execute('embeddings', { input: 'x' }).expect(502);

    expect(response.body).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
      retryAfterMs: 20500,
      metadata: { modelLoading: true, estimatedWaitMs: 20500 },
    });
  });
});
