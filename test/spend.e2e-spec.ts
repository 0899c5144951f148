import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

/** gpt-4o-mini at $0.00015 / $0.0006 per 1k tokens; the fake answers 19 prompt + 10 completion tokens. */
const COST_PER_CALL = (19 / 1000) * 0.00015 + (10 / 1000) * 0.0006;

describe('budgets, usage and estimates', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const pricingDir = mkdtempSync(join(tmpdir(), 'integrations-pricing-'));
  const pricingFile = join(pricingDir, 'pricing.json');

  beforeAll(async () => {
    writeFileSync(pricingFile, JSON.stringify({ 'my-local-model': { input: 0.001, output: 0.002 } }));
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-spendTests0123456789ab',
      BUDGET_USER_DAILY_USD: String(COST_PER_CALL * 1.5),
      BUDGET_ORG_MONTHLY_USD: String(COST_PER_CALL * 3.5),
      PRICING_FILE: pricingFile,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    rmSync(pricingDir, { recursive: true, force: true });
  });

  const execute = (userId: string, orgId?: string) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId, orgId ? { orgId } : {}))
      .send(chatBody);

  it('reports each call’s estimated cost', async () => {
    const response = await execute(uniqueId('user')).expect(200);

    expect(response.body.data.metadata.estimatedCostUsd).toBeCloseTo(COST_PER_CALL, 10);
  });

  it('refuses with 402 BUDGET_EXCEEDED before calling upstream once a user’s daily budget is spent', async () => {
    const userId = uniqueId('user');
    await execute(userId).expect(200);
    await gateway.settleAccounting();
    await execute(userId).expect(200); // still under 1.5 calls' worth
    await gateway.settleAccounting();
    const upstreamCalls = upstream.received.length;

    const refused = await execute(userId).expect(402);

    expect(refused.body).toMatchObject({ code: 'BUDGET_EXCEEDED', retryable: false, metadata: { scope: 'user', period: 'daily' } });
    expect(upstream.received.length).toBe(upstreamCalls);
  });

  it("caps an organization's monthly spend across its users", async () => {
    const orgId = uniqueId('org');
    const statuses: number[] = [];
    for (let call = 0; call < 5; call++) {
      statuses.push((await execute(uniqueId('member'), orgId)).status);
      await gateway.settleAccounting(); // spend is recorded just after the response
    }

    expect(statuses).toEqual([200, 200, 200, 200, 402]);
  });

  it('GET /usage sums tokens and cost by user, provider and model within the organization, for its admin', async () => {
    const orgId = uniqueId('org');
    const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
    await execute(alice, orgId).expect(200);
    await execute(bob, orgId).expect(200);
    await gateway.flushExecutionLog();

    const orgAdmin = authAs(alice, { orgId, orgRole: 'admin' });
    const all = await request(gateway.server).get('/api/integrations/usage').set(orgAdmin).expect(200);
    const onlyBob = await request(gateway.server).get('/api/integrations/usage').query({ userId: bob }).set(orgAdmin).expect(200);
    const bobAsMember = await request(gateway.server)
      .get('/api/integrations/usage')
      .set(authAs(bob, { orgId, orgRole: 'member' }))
      .expect(200);
    const outsider = await request(gateway.server)
      .get('/api/integrations/usage')
      .set(authAs(uniqueId('outsider')))
      .expect(200);

    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      calls: 1,
      promptTokens: 19,
      completionTokens: 10,
      totalTokens: 29,
    });
    expect(all.body.totals).toMatchObject({ calls: 2, totalTokens: 58 });
    expect(all.body.totals.estimatedCostUsd).toBeCloseTo(2 * COST_PER_CALL, 8);
    expect(onlyBob.body.items).toEqual([expect.objectContaining({ userId: bob })]);
    // A member without an admin role in the organization sees their own usage only.
    expect(bobAsMember.body.items).toEqual([expect.objectContaining({ userId: bob })]);
    expect(outsider.body.totals.calls).toBe(0);
  });

  it('POST /estimate predicts the cost range without calling upstream', async () => {
    const upstreamCalls = upstream.received.length;
    const bounded = await request(gateway.server)
      .post('/api/integrations/estimate')
      .set(authAs('user-1'))
      .send({
        provider: 'openai',
        operation: 'chat.completions',
        params: { messages: [{ role: 'user', content: 'x'.repeat(400) }], maxTokens: 1000 },
      })
      .expect(200);
    const unbounded = await request(gateway.server).post('/api/integrations/estimate').set(authAs('user-1')).send(chatBody).expect(200);
    const custom = await request(gateway.server)
      .post('/api/integrations/estimate')
      .set(authAs('user-1'))
      .send({
        provider: 'openai',
        operation: 'chat.completions',
        params: { model: 'my-local-model', messages: [{ role: 'user', content: 'x'.repeat(400) }], maxTokens: 10 },
      })
      .expect(200);
    const anthropic = await request(gateway.server)
      .post('/api/integrations/estimate')
      .set(authAs('user-1'))
      .send({ ...chatBody, provider: 'anthropic' })
      .expect(200);
    const invalid = await request(gateway.server)
      .post('/api/integrations/estimate')
      .set(authAs('user-1'))
      .send({ ...chatBody, params: {} })
      .expect(400);

    expect(bounded.body).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      promptTokens: 104,
      maxCompletionTokens: 1000,
      priced: true,
    });
    expect(bounded.body.minCostUsd).toBeCloseTo((104 / 1000) * 0.00015, 10);
    expect(bounded.body.maxCostUsd).toBeCloseTo((104 / 1000) * 0.00015 + 0.0006, 10);
    expect(unbounded.body).toMatchObject({ maxCompletionTokens: null, maxCostUsd: null });
    expect(custom.body.maxCostUsd).toBeCloseTo((104 / 1000) * 0.001 + (10 / 1000) * 0.002, 10);
    expect(anthropic.body).toMatchObject({ model: 'claude-3-5-sonnet-latest', maxCompletionTokens: 1024, priced: true });
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'params.messages' });
    expect(upstream.received.length).toBe(upstreamCalls);
  });
});
