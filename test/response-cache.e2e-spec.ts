import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const question = (content: string) => ({ messages: [{ role: 'user', content }], temperature: 0 });

function execute(gateway: TestApp, caller: Record<string, string>, params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return request(gateway.server)
    .post('/api/integrations/execute')
    .set(caller)
    .send({ provider: 'openai', operation: 'chat.completions', params, ...extra });
}

describe('response cache (in memory)', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion({ content: 'cached answer' }));
    gateway = await startTestApp({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-proj-cacheServiceKey0123456' });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('answers the same question again from the cache: no upstream call, no cost, its own request id, logged as cached', async () => {
    const userId = uniqueId('user');
    const caller = authAs(userId, { orgId: uniqueId('org') });
    const params = question(uniqueId('q'));
    const before = upstream.received.length;

    const first = await execute(gateway, caller, params, { cache: { ttlSeconds: 60 } }).expect(200);
    const second = await execute(gateway, caller, { temperature: 0, messages: params.messages }, { cache: { ttlSeconds: 60 } }).expect(200);

    expect(upstream.received.length - before).toBe(1);
    expect(first.body.data.metadata).toMatchObject({ cache: 'miss', estimatedCostUsd: expect.any(Number) });
    expect(second.body.data).toMatchObject({ content: 'cached answer', metadata: { cache: 'hit', estimatedCostUsd: 0 } });
    expect(second.body.data.metadata.requestId).toBe(second.headers['x-request-id']);
    await gateway.flushExecutionLog();
    const rows = await gateway.dataSource.query<Array<{ cached: boolean; prompt_tokens: number }>>(
      'SELECT cached, prompt_tokens FROM execution_logs WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
    expect(rows).toEqual([
      { cached: false, prompt_tokens: 19 },
      { cached: true, prompt_tokens: 0 },
    ]);
    const metrics = await request(gateway.server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/gateway_cache_lookups_total\{result="hit"\} [1-9]/);
  });

  it('never serves one organization’s answer to another', async () => {
    const params = question(uniqueId('q'));
    const before = upstream.received.length;
    await execute(gateway, authAs(uniqueId('user'), { orgId: uniqueId('org') }), params, { cache: {} }).expect(200);
    const other = await execute(gateway, authAs(uniqueId('user'), { orgId: uniqueId('org') }), params, { cache: {} }).expect(200);
    expect(upstream.received.length - before).toBe(2);
    expect(other.body.data.metadata.cache).toBe('miss');
  });

  it('skips the cached answer on Cache-Control: no-cache, and refreshes it', async () => {
    const caller = authAs(uniqueId('user'), { orgId: uniqueId('org') });
    const params = question(uniqueId('q'));
    await execute(gateway, caller, params, { cache: {} }).expect(200);
    const before = upstream.received.length;
    const fresh = await execute(gateway, caller, params, { cache: {} }).set('cache-control', 'no-cache').expect(200);
    expect(upstream.received.length - before).toBe(1);
    expect(fresh.body.data.metadata.cache).toBe('miss');
  });

  it('never caches an error, and leaves calls that did not ask alone', async () => {
    const caller = authAs(uniqueId('user'), { orgId: uniqueId('org') });
    const params = question(uniqueId('q'));
    upstream.reply(openAiError(500, 'boom', 'server_error', null));
    await execute(gateway, caller, params, { cache: {} }).expect(502);
    upstream.reply(openAiChatCompletion({ content: 'cached answer' }));
    const before = upstream.received.length;
    await execute(gateway, caller, params, { cache: {} }).expect(200);
    const uncached = await execute(gateway, caller, question(uniqueId('q'))).expect(200);
    expect(upstream.received.length - before).toBe(2);
    expect(uncached.body.data.metadata).not.toHaveProperty('cache');
  });

  it('/v1: Cache-Control: max-age=N asks for it, and x-cache says HIT or MISS', async () => {
    const caller = authAs(uniqueId('user'), { orgId: uniqueId('org') });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: uniqueId('q') }] };
    const first = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(caller)
      .set('cache-control', 'max-age=60')
      .send(body)
      .expect(200);
    const second = await request(gateway.server)
      .post('/v1/chat/completions')
      .set(caller)
      .set('cache-control', 'max-age=60')
      .send(body)
      .expect(200);
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expect(second.body.choices[0].message.content).toBe('cached answer');
  });
});

describe('response cache in Redis', () => {
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion({ content: 'shared answer' }));
  });

  afterAll(async () => {
    await upstream.stop();
  });

  it('is shared by replicas: one instance’s answer is another’s hit', async () => {
    const environment = { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-proj-cacheServiceKey0123456', REDIS_URL };
    const first = await startTestApp(environment);
    const second = await startTestApp(environment);
    try {
      const caller = authAs(uniqueId('user'), { orgId: uniqueId('org') });
      const params = question(uniqueId('q'));
      const before = upstream.received.length;
      await execute(first, caller, params, { cache: { ttlSeconds: 30 } }).expect(200);
      // The write is off the request path: wait for it to land before asking the other replica.
      let hit: request.Response | undefined;
      for (let attempt = 0; attempt < 50 && hit?.body.data.metadata.cache !== 'hit'; attempt++) {
        hit = await execute(second, caller, params, { cache: { ttlSeconds: 30 } }).expect(200);
      }
      expect(hit?.body.data.metadata.cache).toBe('hit');
      expect(upstream.received.length - before).toBeLessThan(50);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('serves every call when Redis is down, without the cache', async () => {
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-cacheServiceKey0123456',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    try {
      const caller = authAs(uniqueId('user'));
      const params = question(uniqueId('q'));
      const before = upstream.received.length;
      await execute(gateway, caller, params, { cache: {} }).expect(200);
      const again = await execute(gateway, caller, params, { cache: {} }).expect(200);
      expect(upstream.received.length - before).toBe(2);
      expect(again.body.data.metadata.cache).toBe('miss');
    } finally {
      await gateway.close();
    }
  });
});
