import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeIdentity } from './support/fake-identity.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

const RUNTIME_KEY = 'runtime-service-key-0123456789abcdef0123';
const GATEWAY_IDENTITY_TOKEN = 'gateway-identity-token-0123456789';

describe('service-to-service callers acting on behalf of a user', () => {
  let identity: FakeIdentity;
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    identity = await FakeIdentity.start();
    identity.userToken(GATEWAY_IDENTITY_TOKEN, 'integrations-gateway');
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    gateway = await startTestApp({
      SERVICE_API_KEYS: `runtime:${RUNTIME_KEY}`,
      IDENTITY_SERVICE_URL: identity.url,
      IDENTITY_SERVICE_TOKEN: GATEWAY_IDENTITY_TOKEN,
      CREDENTIAL_SOURCES: 'identity',
      OPENAI_BASE_URL: upstream.url,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await identity.stop();
  });

  it("a service key with X-On-Behalf-Of calls with that user's key and logs that user", async () => {
    const userId = uniqueId('user');
    const orgId = uniqueId('org');
    identity.setUserKey(userId, 'openai', 'sk-proj-onBehalfOfUser01234');

    await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ 'x-service-key': RUNTIME_KEY, 'x-on-behalf-of': userId, 'x-org-id': orgId })
      .send(chatBody)
      .expect(200);
    await gateway.flushExecutionLog();

    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-onBehalfOfUser01234');
    const lookup = identity.credentialLookups.find((seen) => seen.userId === userId)!;
    expect(lookup.headers.authorization).toBe(`Bearer ${GATEWAY_IDENTITY_TOKEN}`);
    expect(lookup.headers['x-org-id']).toBe(orgId);
    const [row] = await gateway.dataSource.query('SELECT user_id, org_id FROM execution_logs WHERE user_id = $1', [userId]);
    expect(row).toEqual({ user_id: userId, org_id: orgId });
  });

  it('rejects an unknown service key with 401', async () => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ 'x-service-key': 'not-the-runtime-key-0123456789abcdef', 'x-on-behalf-of': 'user-1' })
      .send(chatBody)
      .expect(401);

    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it("a JWT with the service role may act for a user; Identity sees the service's own token", async () => {
    const userId = uniqueId('user');
    identity.setUserKey(userId, 'openai', 'sk-proj-assistantsActsFor01');
    const serviceToken = tokenFor('assistants', { roles: ['service'] });
    identity.userToken(serviceToken, 'assistants', [], ['service']);

    await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ authorization: `Bearer ${serviceToken}`, 'x-on-behalf-of': userId })
      .send(chatBody)
      .expect(200);

    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-assistantsActsFor01');
  });

  it("answers 401 when Identity does not accept the caller's token for the key lookup, and never retries it", async () => {
    const userId = uniqueId('user');
    identity.setUserKey(userId, 'openai', 'sk-proj-unreachableForCaller1');
    const before = identity.credentialLookups.length;

    const response = await request(gateway.server).post('/api/integrations/execute').set(authAs(userId)).send(chatBody).expect(401);

    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(identity.credentialLookups.length - before).toBe(1);
  });

  it('refuses X-On-Behalf-Of on an ordinary user token', async () => {
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs('user-x'))
      .set('x-on-behalf-of', 'user-y')
      .send(chatBody)
      .expect(403);
  });

  it('rejects a malformed X-On-Behalf-Of', async () => {
    const response = await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ 'x-service-key': RUNTIME_KEY, 'x-on-behalf-of': 'bad id with spaces' })
      .send(chatBody)
      .expect(400);

    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'x-on-behalf-of' });
  });
});
