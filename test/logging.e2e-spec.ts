import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId } from './support/test-app.js';

const SECRET_CONTENT = 'confidential prompt 7d1e';

describe('structured call logs', () => {
  let upstream: FakeUpstream;
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);

  beforeEach(async () => {
    lines.length = 0;
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    process.stdout.write = (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
  });

  afterEach(async () => {
    process.stdout.write = write;
    await upstream.stop();
  });

  afterAll(() => {
    process.stdout.write = write;
  });

  async function callAndCollect(environment: Record<string, string>) {
    const gateway = await startTestApp({
      LOG_LEVEL: 'log',
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-proj-loggingTests0123456789',
      ...environment,
    });
    const userId = uniqueId('user');
    let requestId: string;
    try {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(authAs(userId, { orgId: 'org-log' }))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: SECRET_CONTENT }] } })
        .expect(200);
      requestId = response.headers['x-request-id'];
    } finally {
      // Closing writes the lines still waiting for their batch.
      await gateway.close();
    }
    const entry = lines.map((line) => JSON.parse(line)).find((parsed) => parsed.msg === 'provider call' && parsed.userId === userId);
    return { entry, requestId };
  }

  it('writes one JSON line per call with request id, caller, provider, outcome and durations, without content', async () => {
    const { entry, requestId } = await callAndCollect({});

    expect(entry).toMatchObject({
      level: 30,
      context: 'execute',
      requestId,
      orgId: 'org-log',
      provider: 'openai',
      operation: 'chat.completions',
      model: 'gpt-4o-mini-2024-07-18',
      outcome: 'success',
      durationMs: expect.any(Number),
      upstreamLatencyMs: expect.any(Number),
      totalTokens: 29,
      credentialSource: 'environment',
    });
    expect(lines.join('\n')).not.toContain(SECRET_CONTENT);
  });

  it('includes the message content only when LOG_MESSAGE_CONTENT is on', async () => {
    const { entry } = await callAndCollect({ LOG_MESSAGE_CONTENT: 'true' });

    expect(entry.params.messages[0].content).toBe(SECRET_CONTENT);
  });
});
