import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request, { type Response } from 'supertest';
import { FakeIdentity } from './support/fake-identity.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { chatBody, startTestApp, TEST_VAULT_KEY, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

const ENVIRONMENT_KEY = 'sk-proj-environmentKeyNeverShown0001';
const IDENTITY_KEY = 'sk-proj-identityKeyNeverShown00002';
const VAULT_KEY = 'sk-proj-vaultKeyNeverShown0000003';
const SECRETS = [ENVIRONMENT_KEY, IDENTITY_KEY, VAULT_KEY];

/**
 * Drives every path a key travels (three credential sources, successes, upstream errors that echo
 * the key, timeouts, bad replies, vault management) and then searches everything the service
 * produced — responses, its own log output, the execution log and vault tables — for any key.
 */
describe('no API key ever leaks', () => {
  let identity: FakeIdentity;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const captured: string[] = [];
  const responses: Response[] = [];
  const userIds: string[] = [];
  const tokens: string[] = [];
  const originalWrites = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      process[stream].write = (chunk: string | Uint8Array) => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      };
    }
    identity = await FakeIdentity.start();
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      LOG_LEVEL: 'verbose',
      IDENTITY_SERVICE_URL: identity.url,
      CREDENTIAL_SOURCES: 'identity,vault,environment',
      CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY,
      OPENAI_API_KEY: ENVIRONMENT_KEY,
      OPENAI_BASE_URL: upstream.url,
      OPENAI_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await identity.stop();
    process.stdout.write = originalWrites.stdout;
    process.stderr.write = originalWrites.stderr;
  });

  function caller(source: 'identity' | 'vault' | 'environment') {
    const userId = uniqueId(`user-${source}`);
    userIds.push(userId);
    const token = tokenFor(userId);
    tokens.push(token);
    identity.userToken(token, userId);
    if (source === 'identity') identity.setUserKey(userId, 'openai', IDENTITY_KEY);
    return { userId, headers: { authorization: `Bearer ${token}` } };
  }

  async function call(test: request.Test): Promise<Response> {
    const response = await test;
    responses.push(response);
    return response;
  }

  /** Upstream replies that echo whatever key they were sent, as careless providers do. */
  const echoingReplies = [
    (key: string) => openAiError(401, `Incorrect API key provided: ${key}.`, 'invalid_request_error', 'invalid_api_key'),
    (key: string) => openAiError(400, `Invalid request (auth was Bearer ${key})`, 'invalid_request_error', null),
    (key: string) => openAiError(500, `internal failure for ${key.slice(0, 12)}***${key.slice(-4)}`, 'server_error', null),
    (key: string) => ({ status: 200, body: `not json; key=${key}` }),
  ];

  it('runs every credential source through success and failure', async () => {
    for (const source of ['identity', 'vault', 'environment'] as const) {
      const { headers } = caller(source);
      if (source === 'vault') {
        await call(request(gateway.server).put('/api/integrations/credentials/openai').set(headers).send({ apiKey: VAULT_KEY }));
        await call(request(gateway.server).get('/api/integrations/credentials').set(headers));
      }
      upstream.reply(openAiChatCompletion());
      expect((await call(request(gateway.server).post('/api/integrations/execute').set(headers).send(chatBody))).status).toBe(200);
      for (const reply of echoingReplies) {
        upstream.reply((sent) => reply(String(sent.headers.authorization).replace('Bearer ', '')));
        await call(request(gateway.server).post('/api/integrations/execute').set(headers).send(chatBody));
      }
      upstream.reply({ ...openAiChatCompletion(), delayMs: 1000 });
      expect((await call(request(gateway.server).post('/api/integrations/execute').set(headers).send(chatBody))).status).toBe(504);
      upstream.reply({ dropConnection: true });
      await call(request(gateway.server).post('/api/integrations/execute').set(headers).send(chatBody));
      await call(request(gateway.server).get('/api/integrations/executions').set(headers));
    }
    // The upstream really was sent each key, so the search below is meaningful.
    const sentKeys = new Set(upstream.received.map((sent) => sent.headers.authorization));
    expect([...sentKeys].sort()).toEqual(SECRETS.map((key) => `Bearer ${key}`).sort());
  });

  it('finds no key in any response, log line, execution log row or vault row', async () => {
    await gateway.flushExecutionLog();
    gateway.flushLogs();
    const executionRows = await gateway.dataSource.query('SELECT * FROM execution_logs WHERE user_id = ANY($1)', [userIds]);
    const vaultRows = await gateway.dataSource.query('SELECT * FROM stored_credentials WHERE owner_id = ANY($1)', [userIds]);
    expect(executionRows.length).toBeGreaterThanOrEqual(21);
    expect(vaultRows).toHaveLength(1);

    const haystacks = {
      responses: responses.map((response) => JSON.stringify({ headers: response.headers, body: response.text })).join('\n'),
      logs: captured.join(''),
      executionLog: JSON.stringify(executionRows),
      vault: JSON.stringify(vaultRows),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of SECRETS) {
        expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
        // Partial echoes count too: no response or log keeps a key's distinctive middle part.
        expect({ where, leaked: text.includes(secret.slice(8, 24)) }).toEqual({ where, leaked: false });
      }
    }
    expect(haystacks.logs).toContain('InstanceLoader'); // the capture did see the service's log output
    expect(haystacks.logs).toContain('"msg":"provider call failed"'); // including the per-call lines
    for (const token of tokens) expect(haystacks.logs.includes(token)).toBe(false);
    expect(haystacks.executionLog).toContain('[REDACTED]');
  });
});
