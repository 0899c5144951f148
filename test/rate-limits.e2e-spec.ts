import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('rate limits (in-memory counters)', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion()); // 29 tokens a call
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-rateLimitTests0123456',
      RATE_LIMIT_USER_RPM: '3',
      RATE_LIMIT_ORG_RPM: '5',
      RATE_LIMIT_USER_TPM: '0',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  const execute = (userId: string, orgId?: string) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId, orgId ? { orgId } : {}))
      .send(chatBody);

  it('refuses the call over a user’s requests per minute with 429 RATE_LIMITED and Retry-After, before the upstream', async () => {
    const userId = uniqueId('user');
    for (let call = 0; call < 3; call++) await execute(userId).expect(200);
    const upstreamCalls = upstream.received.length;

    const refused = await execute(userId).expect(429);

    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: expect.any(Number) });
    expect(refused.body.error).toContain('3 requests per minute for this user');
    expect(refused.body.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(upstream.received.length).toBe(upstreamCalls);
    await execute(uniqueId('other-user')).expect(200);
  });

  it('limits an organization across its users', async () => {
    const orgId = uniqueId('org');
    const users = [uniqueId('a'), uniqueId('b')];
    const statuses: number[] = [];
    for (let call = 0; call < 6; call++) statuses.push((await execute(users[call % 2], orgId)).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('token limits', () => {
  it('refuses calls once the tokens used this minute reach the limit', async () => {
    const upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion()); // 29 tokens a call
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-tokenLimitTests012345',
      RATE_LIMIT_USER_TPM: '50',
    });
    try {
      const userId = uniqueId('user');
      const call = () => request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody);
      await call().expect(200); // 29 used
      await call().expect(200); // 58 used
      await gateway.settleAccounting(); // token use is recorded just after the response

      const refused = await call().expect(429);

      expect(refused.body.error).toContain('50 tokens per minute for this user');
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });
});

describe('rate limits shared through Redis by two instances', () => {
  /**
   * Two gateways sharing Redis under one requests-per-minute limit, an upstream that answers, and
   * a call as one user through either; everything is closed after `use`.
   */
  async function withTwoInstances(
    rpm: number,
    use: (call: (gateway: TestApp) => request.Test, first: TestApp, second: TestApp, upstream: FakeUpstream) => Promise<void>,
  ): Promise<void> {
    const upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    const environment = {
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-redisLimitTests012345',
      REDIS_URL,
      RATE_LIMIT_USER_RPM: String(rpm),
    };
    const first = await startTestApp(environment);
    const second = await startTestApp(environment);
    try {
      const userId = uniqueId('user');
      await use(
        (gateway) => request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody),
        first,
        second,
        upstream,
      );
    } finally {
      // Both flush before either closes: on PGlite the two share one in-process database.
      await first.flushExecutionLog();
      await second.flushExecutionLog();
      await first.close();
      await second.close();
      await upstream.stop();
    }
  }

  it('holds one limit exactly across both', async () => {
    await withTwoInstances(5, async (call, first, second, upstream) => {
      // Ten calls at once, five on each instance: exactly five may pass.
      const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => call(index % 2 === 0 ? first : second)));

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
      expect(upstream.received).toHaveLength(5);
    });
  });

  it('admits a steady caller from slots leased ahead by default, and still exactly up to the limit across both', async () => {
    await withTwoInstances(40, async (call, first, second, upstream) => {
      const statuses: number[] = [];
      for (let index = 0; index < 60; index++) statuses.push((await call(index % 2 === 0 ? first : second)).status);

      expect(statuses.filter((status) => status === 200)).toHaveLength(40);
      expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
      expect(upstream.received).toHaveLength(40);
      const leased = async (gateway: TestApp) => {
        const metrics = await request(gateway.server).get('/metrics').expect(200);
        return Number(/gateway_limit_admissions_total\{decided_by="lease"\} (\d+)/.exec(metrics.text)?.[1]);
      };
      expect((await leased(first)) + (await leased(second))).toBeGreaterThan(0);
    });
  });
});
