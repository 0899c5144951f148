import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ExecutionLogWriter } from '@app/execution-log';
import { successfulChatRecord } from './support/execution-records.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const API_KEY = 'sk-proj-executionLogSecret0123456789';
const SECRET_PROMPT = 'my secret prompt text 4f9a';
const chatBody = { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: SECRET_PROMPT }] } };

async function rowsFor(gateway: TestApp, userId: string): Promise<Array<Record<string, unknown>>> {
  return gateway.dataSource.query('SELECT * FROM execution_logs WHERE user_id = $1 ORDER BY created_at', [userId]);
}

describe('execution log', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    // A long interval and a large batch: nothing is written until the test flushes, which makes
    // "the response does not wait for the insert" observable.
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: API_KEY,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
      EXECUTION_LOG_BATCH_SIZE: '1000',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('writes a row for a successful call, after the response, with every field', async () => {
    const userId = uniqueId('user');
    const orgId = uniqueId('org');
    upstream.reply(openAiChatCompletion());

    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId, { orgId }))
      .send(chatBody)
      .expect(200);
    expect(await rowsFor(gateway, userId)).toHaveLength(0);
    await gateway.flushExecutionLog();

    const [row] = await rowsFor(gateway, userId);
    expect(row).toMatchObject({
      request_id: response.headers['x-request-id'],
      user_id: userId,
      org_id: orgId,
      provider: 'openai',
      operation: 'chat.completions',
      model: 'gpt-4o-mini-2024-07-18',
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      success: true,
      error_code: null,
      error_message: null,
    });
    expect(row.duration_ms).toEqual(expect.any(Number));
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(new Date(row.created_at as string).getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('writes a row for an upstream failure with its code and a redacted message', async () => {
    const userId = uniqueId('user');
    upstream.reply(
      openAiError(
        401,
        `Incorrect API key provided: ${API_KEY.slice(0, 8)}***${API_KEY.slice(-4)}.`,
        'invalid_request_error',
        'invalid_api_key',
      ),
    );

    await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(424);
    await gateway.flushExecutionLog();

    const [row] = await rowsFor(gateway, userId);
    expect(row).toMatchObject({
      user_id: userId,
      org_id: null,
      model: 'gpt-4o-mini',
      success: false,
      error_code: 'PROVIDER_AUTH_FAILED',
      prompt_tokens: null,
      completion_tokens: null,
      total_tokens: null,
    });
    expect(row.error_message).toContain('[REDACTED]');
  });

  it('writes a row for a call rejected by validation', async () => {
    const userId = uniqueId('user');

    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(userId))
      .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [] } })
      .expect(400);
    await gateway.flushExecutionLog();

    expect(await rowsFor(gateway, userId)).toEqual([
      expect.objectContaining({ success: false, error_code: 'VALIDATION_FAILED', provider: 'openai', model: null }),
    ]);
  });

  it('stores text exactly, whatever characters it holds, and nulls as nulls', async () => {
    const userId = uniqueId('user "quoted", {braced}');
    const awkward = 'He said "no", {then} \\left; NULL, \'quoted\' – ünïcödé ✓ \n new line';
    gateway.app.get(ExecutionLogWriter).record({
      requestId: 'req-awkward',
      userId,
      orgId: null,
      provider: 'openai',
      operation: 'chat.completions',
      model: 'NULL',
      durationMs: 7,
      promptTokens: null,
      completionTokens: 3,
      totalTokens: null,
      success: false,
      errorCode: 'PROVIDER_BAD_REQUEST',
      errorMessage: awkward,
      credentialSource: null,
      credentialId: 'cred,1',
      isProxy: true,
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
    });
    await gateway.flushExecutionLog();

    expect(await rowsFor(gateway, userId)).toEqual([
      expect.objectContaining({
        request_id: 'req-awkward',
        user_id: userId,
        org_id: null,
        model: 'NULL',
        duration_ms: 7,
        prompt_tokens: null,
        completion_tokens: 3,
        total_tokens: null,
        success: false,
        error_message: awkward,
        credential_source: null,
        credential_id: 'cred,1',
        is_proxy: true,
      }),
    ]);
    const [{ created_at }] = await rowsFor(gateway, userId);
    expect(new Date(created_at as string).toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('fits what an upstream sent to the columns instead of letting one row block the log', async () => {
    const userId = uniqueId('user');
    // A misbehaving OpenAI-compatible server: a NUL, an unpaired surrogate and 300 characters in `model`, token counts
    // beyond a PostgreSQL integer. Unfitted, PostgreSQL refuses the whole batch, every retry.
    upstream.reply({
      body: {
        model: `odd\u0000\ud800model-${'x'.repeat(300)}`,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3e9, completion_tokens: 10, total_tokens: 3e9 + 10 },
      },
    });
    await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(200);
    upstream.reply(openAiChatCompletion());
    await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(200);
    await gateway.flushExecutionLog();

    const rows = await rowsFor(gateway, userId);
    expect(rows).toHaveLength(2);
    const odd = rows.find((row) => (row.model as string).startsWith('odd'))!;
    expect(odd.model).toHaveLength(256);
    expect(odd.model).toMatch(/^odd\uFFFDmodel-x+…$/);
    expect(odd).toMatchObject({ prompt_tokens: 2147483647, completion_tokens: 10, total_tokens: 2147483647, success: true });
    expect(gateway.app.get(ExecutionLogWriter).stats().queued).toBe(0);
  });

  it('writes the rest of a batch the database refuses one row of, and counts that row as rejected', async () => {
    const userId = uniqueId('user');
    const writer = gateway.app.get(ExecutionLogWriter);
    const rejectedBefore = writer.stats().rejected;
    // Stands in for any refusal nobody foresaw: the database itself turns one row away.
    await gateway.dataSource.query(`ALTER TABLE execution_logs ADD CONSTRAINT test_refuses_one_row CHECK (request_id <> 'req-refused')`);
    try {
      for (const requestId of ['req-before', 'req-refused', 'req-after']) {
        writer.record(successfulChatRecord({ requestId, userId }));
      }
      await gateway.flushExecutionLog();
    } finally {
      await gateway.dataSource.query('ALTER TABLE execution_logs DROP CONSTRAINT test_refuses_one_row');
    }

    expect((await rowsFor(gateway, userId)).map((row) => row.request_id).sort()).toEqual(['req-after', 'req-before']);
    expect(writer.stats()).toMatchObject({ queued: 0, rejected: rejectedBefore + 1 });
    const metrics = await request(gateway.server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`^gateway_execution_log_rejected ${rejectedBefore + 1}$`, 'm'));
  });

  it('never stores the API key or the message content', async () => {
    const userId = uniqueId('user');
    upstream.reply(openAiChatCompletion({ content: 'reply text that must not be stored' }));
    await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(200);
    upstream.reply(openAiError(400, `Bad request echoing ${API_KEY} and ${SECRET_PROMPT}`, 'invalid_request_error', null));
    await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(400);
    await gateway.flushExecutionLog();

    const stored = JSON.stringify(await rowsFor(gateway, userId));
    expect(stored).not.toContain(API_KEY);
    expect(stored).not.toContain('reply text that must not be stored');
    expect(stored).toContain('PROVIDER_BAD_REQUEST');
  });

  describe('GET /api/integrations/executions', () => {
    const orgId = uniqueId('org');
    const alice = uniqueId('alice');
    const bob = uniqueId('bob');

    beforeAll(async () => {
      upstream.reply(openAiChatCompletion());
      for (const userId of [alice, alice, bob]) {
        await request(gateway.server).post('/api/integrations/execute').set(authAs(userId, { orgId })).send(chatBody).expect(200);
      }
      upstream.reply(openAiError(500, 'boom', 'server_error', null));
      await request(gateway.server).post('/api/integrations/execute').set(authAs(alice, { orgId })).send(chatBody).expect(502);
      await gateway.flushExecutionLog();
    });

    /** bob is the organization's admin; the others are whatever the test says. */
    const list = (callerId: string, query: Record<string, string | number | boolean> = {}, org: string | null = orgId, orgRole = 'admin') =>
      request(gateway.server)
        .get('/api/integrations/executions')
        .set(authAs(callerId, org ? { orgId: org, orgRole } : {}))
        .query(query);

    it('lists the whole organization for its admin, newest first', async () => {
      const response = await list(bob).expect(200);

      expect(response.body.total).toBe(4);
      expect(response.body.items.map((item: { success: boolean }) => item.success)).toEqual([false, true, true, true]);
      const times = response.body.items.map((item: { createdAt: string }) => Date.parse(item.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('filters by user, provider and success', async () => {
      const byUser = await list(bob, { userId: alice }).expect(200);
      const failures = await list(bob, { userId: alice, success: false, provider: 'openai' }).expect(200);
      const otherProvider = await list(bob, { provider: 'anthropic' }).expect(200);

      expect(byUser.body.total).toBe(3);
      expect(failures.body.items).toEqual([expect.objectContaining({ userId: alice, success: false, errorCode: 'PROVIDER_UNAVAILABLE' })]);
      expect(otherProvider.body.total).toBe(0);
    });

    it('filters by time range', async () => {
      const future = await list(bob, { from: new Date(Date.now() + 60_000).toISOString() }).expect(200);
      const recent = await list(bob, {
        from: new Date(Date.now() - 60_000).toISOString(),
        to: new Date(Date.now() + 1000).toISOString(),
      }).expect(200);

      expect(future.body.total).toBe(0);
      expect(recent.body.total).toBe(4);
    });

    it('pages with limit and offset', async () => {
      const first = await list(bob, { limit: 3, offset: 0 }).expect(200);
      const second = await list(bob, { limit: 3, offset: 3 }).expect(200);

      expect(first.body).toMatchObject({ total: 4, limit: 3, offset: 0 });
      expect(first.body.items).toHaveLength(3);
      expect(second.body.items).toHaveLength(1);
      const ids = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
      expect(new Set(ids).size).toBe(4);
    });

    it("shows a plain member only their own calls, and an operator everyone's", async () => {
      const member = await list(alice, {}, orgId, 'member').expect(200);
      const memberAskingForBob = await list(alice, { userId: bob }, orgId, 'member').expect(200);
      const operator = await request(gateway.server)
        .get('/api/integrations/executions')
        .set(authAs(uniqueId('operator'), { roles: ['operator'] }))
        .query({ userId: bob })
        .expect(200);

      expect(member.body.total).toBe(3);
      expect(member.body.items.every((item: { userId: string }) => item.userId === alice)).toBe(true);
      expect(memberAskingForBob.body.total).toBe(0);
      expect(operator.body.items).toEqual([expect.objectContaining({ userId: bob, orgId })]);
    });

    it("never shows another organization's or another user's calls", async () => {
      const outsider = await list(uniqueId('mallory'), { userId: alice }, uniqueId('other-org')).expect(200);
      const withoutOrg = await list(alice, {}, null).expect(200);

      expect(outsider.body.total).toBe(0);
      // Without an organization a caller sees exactly their own calls.
      expect(withoutOrg.body.total).toBe(3);
      expect(withoutOrg.body.items.every((item: { userId: string }) => item.userId === alice)).toBe(true);
    });

    it('rejects bad filters with 400 VALIDATION_FAILED', async () => {
      const response = await list(bob, { limit: 0, success: 'maybe', from: 'yesterday' }).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['from', 'limit', 'success']);
    });
  });
});

describe('execution log writer batching', () => {
  it('writes by itself once a batch fills, without waiting for the interval', async () => {
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: API_KEY,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
      EXECUTION_LOG_BATCH_SIZE: '3',
    });
    try {
      const userId = uniqueId('user');
      upstream.reply(openAiChatCompletion());
      for (let call = 0; call < 3; call++) {
        await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(200);
      }
      let rows: unknown[] = [];
      for (let attempt = 0; attempt < 50 && rows.length < 3; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        rows = await rowsFor(gateway, userId);
      }
      expect(rows).toHaveLength(3);
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  });

  it('flushes what is queued when the application shuts down', async () => {
    // On PGlite, a data directory on disk lets a second boot read what the first one wrote.
    const dataDir = mkdtempSync(join(tmpdir(), 'integrations-pglite-'));
    const database = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DATA_DIR: dataDir };
    const upstream = await FakeUpstream.start();
    const userId = uniqueId('user');
    try {
      const first = await startTestApp({
        ...database,
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: API_KEY,
        EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
      });
      upstream.reply(openAiChatCompletion());
      await request(first.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(200);
      await first.close();

      const second = await startTestApp(database);
      try {
        expect(await rowsFor(second, userId)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await upstream.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
