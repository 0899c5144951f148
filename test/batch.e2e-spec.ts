import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const chat = (content: string) => ({
  provider: 'openai',
  operation: 'chat.completions',
  params: { messages: [{ role: 'user', content }] },
});

describe('POST /api/integrations/execute/batch', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    // The upstream fails the calls that ask it to, and echoes the others.
    upstream.reply((received) => {
      const content = (received.body as { messages: Array<{ content: string }> }).messages[0].content;
      return content === 'fail'
        ? openAiError(500, 'The server had an error', 'server_error', null)
        : openAiChatCompletion({ content: `echo ${content}` });
    });
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-batchServiceKey012345',
      EXECUTE_BATCH_MAX_ITEMS: '5',
      EXECUTE_BATCH_CONCURRENCY: '2',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('answers every item in request order, each on its own: a bad item or a failed call never fails the batch', async () => {
    const userId = uniqueId('user');
    const response = await request(gateway.server)
      .post('/api/integrations/execute/batch')
      .set(authAs(userId))
      .send({
        requests: [
          chat('first'),
          { provider: 'openai', operation: 'chat.completions', params: {} },
          chat('fail'),
          { provider: 'nope', operation: 'chat.completions', params: {} },
          { ...chat('streamed'), params: { ...chat('streamed').params, stream: true } },
        ],
      })
      .expect(200);

    const batchId = response.headers['x-request-id'];
    expect(response.body).toMatchObject({ success: true, requestId: batchId, durationMs: expect.any(Number) });
    const results = response.body.data.results;
    expect(results.map((result: { success: boolean; code?: string }) => result.code ?? 'ok')).toEqual([
      'ok',
      'VALIDATION_FAILED',
      'PROVIDER_UNAVAILABLE',
      'UNKNOWN_PROVIDER',
      'VALIDATION_FAILED',
    ]);
    expect(results[0]).toMatchObject({ success: true, data: { content: 'echo first', provider: 'openai' }, requestId: `${batchId}.0` });
    expect(results[1]).toMatchObject({ success: false, field: 'params.messages', requestId: `${batchId}.1`, provider: 'openai' });
    expect(results[2]).toMatchObject({
      success: false,
      error: expect.stringContaining('server had an error'),
      category: 'provider',
      retryable: true,
      provider: 'openai',
      operation: 'chat.completions',
      upstream: { statusCode: 500 },
    });
    expect(results[4]).toMatchObject({ field: 'params.stream', error: expect.stringContaining('not available in a batch') });

    // Logged like single calls, each under its own request id.
    await gateway.flushExecutionLog();
    const rows = await gateway.dataSource.query<Array<{ request_id: string; success: boolean; error_code: string | null }>>(
      'SELECT request_id, success, error_code FROM execution_logs WHERE user_id = $1 ORDER BY request_id',
      [userId],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { request_id: `${batchId}.0`, success: true, error_code: null },
        { request_id: `${batchId}.2`, success: false, error_code: 'PROVIDER_UNAVAILABLE' },
      ]),
    );
  });

  it('refuses a batch that is not a list of 1 to EXECUTE_BATCH_MAX_ITEMS requests, before any call', async () => {
    const before = upstream.received.length;
    for (const body of [{ requests: [] }, { requests: Array.from({ length: 6 }, () => chat('x')) }, { requests: 'all' }, {}]) {
      const response = await request(gateway.server)
        .post('/api/integrations/execute/batch')
        .set(authAs(uniqueId('user')))
        .send(body)
        .expect(400);
      expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', field: 'requests' });
    }
    expect(upstream.received.length).toBe(before);
  });

  it('needs authentication like every execute call', async () => {
    await request(gateway.server)
      .post('/api/integrations/execute/batch')
      .send({ requests: [chat('x')] })
      .expect(401);
  });
});
