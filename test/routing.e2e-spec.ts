import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { anthropicMessage } from './support/provider-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const messages = [{ role: 'user', content: 'Summarize the meeting notes.' }];

describe('provider "auto": the cheapest capable provider, with failover', () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    openai = await FakeUpstream.start();
    anthropic = await FakeUpstream.start();
    // Keys for OpenAI and Anthropic, none for HuggingFace: it is never a candidate.
    gateway = await startTestApp({
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-proj-routingServiceKey0123',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: 'sk-ant-routingServiceKey0123',
    });
  });

  beforeEach(() => {
    openai.reply(openAiChatCompletion({ content: 'from openai', model: 'gpt-4.1-nano-2025-04-14' }));
    anthropic.reply(anthropicMessage());
  });

  afterAll(async () => {
    await gateway.close();
    await anthropic.stop();
    await openai.stop();
  });

  const auto = (userId: string, body: Record<string, unknown>) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId))
      .send({ provider: 'auto', operation: 'chat.completions', ...body });

  it('picks the cheapest model for the expected prompt and answer, and says why in metadata.routing', async () => {
    const response = await auto(uniqueId('user'), { params: { messages, maxTokens: 100 } }).expect(200);

    expect(openai.lastRequest().body).toMatchObject({ model: 'gpt-4.1-nano' });
    const { routing } = response.body.data.metadata;
    expect(response.body.data.provider).toBe('openai');
    expect(routing.chosen).toEqual({ provider: 'openai', model: 'gpt-4.1-nano', estimatedCostUsd: expect.any(Number) });
    const costs = routing.candidates.map((candidate: { estimatedCostUsd: number | null }) => candidate.estimatedCostUsd ?? Infinity);
    expect(costs).toEqual([...costs].sort((a: number, b: number) => a - b));
    expect(routing.candidates.some((candidate: { provider: string }) => candidate.provider === 'huggingface')).toBe(false);
  });

  it('meets every requirement: capabilities, context window, prices, excluded providers', async () => {
    const response = await auto(uniqueId('user'), {
      params: { messages },
      requirements: { capabilities: ['reasoning'], minContextWindow: 150_000, excludeProviders: ['openai'] },
    }).expect(200);

    expect(response.body.data.provider).toBe('anthropic');
    expect(anthropic.lastRequest().body).toMatchObject({ model: response.body.data.metadata.routing.chosen.model });
    expect(response.body.data.metadata.routing.chosen.model).toMatch(/^claude-(3-7-sonnet|sonnet-4|opus-4)/);
  });

  it('moves to the cheapest model of another provider when the chosen one fails provider-side; both attempts logged', async () => {
    const userId = uniqueId('user');
    openai.reply(openAiError(503, 'The engine is currently overloaded', 'server_error', null));

    const response = await auto(userId, { params: { messages } }).expect(200);

    expect(response.body.data.provider).toBe('anthropic');
    expect(response.body.data.metadata.routing.failedOver).toEqual([
      { provider: 'openai', model: 'gpt-4.1-nano', estimatedCostUsd: expect.any(Number), errorCode: 'PROVIDER_UNAVAILABLE' },
    ]);
    await gateway.flushExecutionLog();
    const rows = await gateway.dataSource.query<Array<{ provider: string; success: boolean }>>(
      'SELECT provider, success FROM execution_logs WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
    expect(rows).toEqual([
      { provider: 'openai', success: false },
      { provider: 'anthropic', success: true },
    ]);
  });

  it('answers 400 NO_ROUTE naming what excluded what when nothing qualifies, before any upstream call', async () => {
    const before = openai.received.length + anthropic.received.length;
    const response = await auto(uniqueId('user'), { params: { messages }, requirements: { maxInputPricePer1M: 0.01 } }).expect(400);

    expect(response.body).toMatchObject({ success: false, code: 'NO_ROUTE', category: 'validation' });
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'provider', message: 'huggingface: no key for this caller' },
        { field: 'requirements.maxInputPricePer1M', message: 'openai/gpt-4o-mini: input costs 0.15 per 1M' },
      ]),
    );
    expect(openai.received.length + anthropic.received.length).toBe(before);
  });

  it('refuses a model with "auto" and requirements without it', async () => {
    const withModel = await auto(uniqueId('user'), { params: { messages, model: 'gpt-4o' } }).expect(400);
    expect(withModel.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.model' });
    const direct = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send({ provider: 'openai', operation: 'chat.completions', params: { messages }, requirements: { capabilities: ['chat'] } })
      .expect(400);
    expect(direct.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'requirements' });
    const malformed = await auto(uniqueId('user'), { params: { messages }, requirements: { minContextWindow: 'big' } }).expect(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'requirements.minContextWindow' });
  });

  it('/v1: model "auto" with the requirements in x-gateway-route-requirements', async () => {
    const response = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(authAs(uniqueId('user')))
      .set('x-gateway-route-requirements', JSON.stringify({ excludeProviders: ['openai'] }))
      .send({ model: 'auto', messages, max_tokens: 50 })
      .expect(200);

    expect(response.body.object).toBe('chat.completion');
    expect(response.body.model).toMatch(/^claude-/);
    expect(anthropic.lastRequest().body).toMatchObject({ model: expect.stringMatching(/^claude-3-5-haiku/) });
    const refused = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(authAs(uniqueId('user')))
      .set('x-gateway-route-requirements', '{not json')
      .send({ model: 'auto', messages })
      .expect(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', param: 'x-gateway-route-requirements' });
  });

  it('/v1/messages: model "auto" too, answered in Anthropic’s shape', async () => {
    const response = await request(gateway.server)
      .post('/v1/messages')
      .set(authAs(uniqueId('user')))
      .set('x-gateway-route-requirements', JSON.stringify({ capabilities: ['chat'], maxInputPricePer1M: 0.5 }))
      .send({ model: 'auto', max_tokens: 50, messages })
      .expect(200);

    expect(response.body).toMatchObject({ type: 'message', role: 'assistant' });
    expect(openai.lastRequest().body).toMatchObject({ model: 'gpt-4.1-nano' });
  });
});
