import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeIdentity } from './support/fake-identity.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { chatBody, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const CREDENTIAL_TTL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Identity service: introspection and on-demand keys', () => {
  let identity: FakeIdentity;
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    identity = await FakeIdentity.start();
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      AUTH_MODE: 'introspection',
      JWT_SECRET: undefined,
      IDENTITY_SERVICE_URL: identity.url,
      CREDENTIAL_SOURCES: 'identity',
      IDENTITY_CREDENTIAL_CACHE_TTL_MS: String(CREDENTIAL_TTL_MS),
      INTROSPECTION_CACHE_TTL_MS: '60000',
      OPENAI_BASE_URL: upstream.url,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await identity.stop();
  });

  beforeEach(() => {
    identity.mode = 'up';
    upstream.reply(openAiChatCompletion());
  });

  /** A fresh user with an opaque token and their own OpenAI key at Identity. */
  function newUser(organizations: string[] = [], withKey = true) {
    const userId = uniqueId('user');
    const token = identity.userToken(uniqueId('tok'), userId, organizations);
    const apiKey = `sk-proj-${uniqueId('key')}`;
    if (withKey) identity.setUserKey(userId, 'openai', apiKey);
    return { userId, token, apiKey };
  }

  const execute = (token: string, headers: Record<string, string> = {}) =>
    request(gateway.server).post('/api/integrations/execute').set({ authorization: `Bearer ${token}`, ...headers }).send(chatBody);

  const lookupsFor = (userId: string) => identity.credentialLookups.filter((lookup) => lookup.userId === userId);
  const introspectionsOf = (token: string) => identity.introspections.filter((seen) => seen === token);

  it("calls the upstream with the caller's own key, fetched with the caller's token", async () => {
    const alice = newUser(['org-a1', 'org-a2']);

    await execute(alice.token).expect(200);

    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${alice.apiKey}`);
    const [lookup] = lookupsFor(alice.userId);
    expect(lookup!.provider).toBe('openai');
    expect(lookup!.headers.authorization).toBe(`Bearer ${alice.token}`);
    expect(lookup!.headers['x-service-id']).toBe('integrations');
    expect(lookup!.headers['x-org-id']).toBe('org-a1');
  });

  it("uses X-Org-Id only when it names one of the caller's organizations", async () => {
    const bob = newUser(['org-b1', 'org-b2'], false);
    identity.setUserKey(bob.userId, 'openai', bob.apiKey);

    await execute(bob.token, { 'x-org-id': 'org-b2' }).expect(200);
    await sleep(CREDENTIAL_TTL_MS + 100);
    await execute(bob.token, { 'x-org-id': 'org-not-mine' }).expect(200);

    expect(lookupsFor(bob.userId).map((lookup) => lookup.headers['x-org-id'])).toEqual(['org-b2', 'org-b1']);
  });

  it('answers 401 for a token Identity does not know', async () => {
    const response = await execute('unknown-token').expect(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  it("never trusts a cached introspection past the token's own exp", async () => {
    const userId = uniqueId('user');
    // exp has one-second resolution: 2 s leaves at least 1 s for the first call.
    const shortLived = identity.userToken(uniqueId('tok'), userId, [], [], 2);
    identity.setUserKey(userId, 'openai', 'sk-proj-shortLivedKey012345');
    await execute(shortLived).expect(200);

    await sleep(2100);

    await execute(shortLived).expect(401);
  });

  it('introspects a token once and serves later calls from the cache', async () => {
    const carol = newUser();

    for (let call = 0; call < 4; call++) await execute(carol.token).expect(200);

    expect(introspectionsOf(carol.token)).toHaveLength(1);
  });

  it('collapses concurrent first calls into one introspection and one key lookup', async () => {
    const dave = newUser();

    const responses = await Promise.all(Array.from({ length: 6 }, () => execute(dave.token)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(introspectionsOf(dave.token)).toHaveLength(1);
    expect(lookupsFor(dave.userId)).toHaveLength(1);
  });

  it('keeps serving a cached key while Identity is down, until the TTL ends; then 503 IDENTITY_UNAVAILABLE', async () => {
    const erin = newUser();
    await execute(erin.token).expect(200);

    identity.mode = 'down';
    await execute(erin.token).expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${erin.apiKey}`);

    await sleep(CREDENTIAL_TTL_MS + 100);
    const response = await execute(erin.token).expect(503);
    expect(response.body.error).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', retryable: true });
  });

  it('answers 503 IDENTITY_UNAVAILABLE for a new token while Identity is unreachable', async () => {
    const frank = newUser();
    identity.mode = 'closed';

    const response = await execute(frank.token).expect(503);

    expect(response.body.error.code).toBe('IDENTITY_UNAVAILABLE');
  });

  it('drops a cached key the provider rejected, so the next call fetches it again', async () => {
    const gina = newUser();
    await execute(gina.token).expect(200);
    upstream.reply(openAiError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'));
    await execute(gina.token).expect(424);
    upstream.reply(openAiChatCompletion());

    await execute(gina.token).expect(200);

    expect(lookupsFor(gina.userId)).toHaveLength(2);
  });

  it('answers 424 CREDENTIAL_NOT_FOUND naming the provider when Identity has no key', async () => {
    const hank = newUser([], false);

    const response = await execute(hank.token).expect(424);

    expect(response.body.error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', provider: 'openai' });
    expect(response.body.error.message).toContain('openai');
  });

  it("uses the org-wide key when the user has none, and logs it as a proxy use with the credential id", async () => {
    const orgId = uniqueId('org');
    const ivy = newUser([orgId], false);
    identity.setOrgKey(orgId, 'openai', 'sk-proj-orgWideKey0123456789', 'org-owner');

    await execute(ivy.token).expect(200);
    await gateway.flushExecutionLog();

    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-orgWideKey0123456789');
    const [row] = await gateway.dataSource.query('SELECT * FROM execution_logs WHERE user_id = $1', [ivy.userId]);
    expect(row).toMatchObject({ org_id: orgId, credential_source: 'identity', credential_id: `cred-org-${orgId}-openai`, is_proxy: true });
  });

  it("never lets one user's call use another user's key", async () => {
    const orgOfB = uniqueId('org');
    const userA = newUser([uniqueId('org')]);
    const userB = newUser([orgOfB]);
    identity.setOrgKey(orgOfB, 'openai', 'sk-proj-orgOfBSharedKey0123', userB.userId);

    await execute(userA.token).expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${userA.apiKey}`);
    await execute(userB.token).expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${userB.apiKey}`);

    // Naming B's organization or B as the user does not move A onto B's keys.
    await execute(userA.token, { 'x-org-id': orgOfB }).expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${userA.apiKey}`);
    const impersonation = await execute(userA.token, { 'x-on-behalf-of': userB.userId }).expect(403);
    expect(impersonation.body.error.code).toBe('FORBIDDEN');
    expect(lookupsFor(userB.userId).every((lookup) => lookup.headers.authorization === `Bearer ${userB.token}`)).toBe(true);
  });
});

describe('Identity keys with the cache off (IDENTITY_CREDENTIAL_CACHE_TTL_MS=0)', () => {
  it('fetches the key from Identity on every call', async () => {
    const identity = await FakeIdentity.start();
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp({
      AUTH_MODE: 'introspection',
      JWT_SECRET: undefined,
      IDENTITY_SERVICE_URL: identity.url,
      CREDENTIAL_SOURCES: 'identity',
      IDENTITY_CREDENTIAL_CACHE_TTL_MS: '0',
      OPENAI_BASE_URL: upstream.url,
    });
    try {
      const userId = uniqueId('user');
      const token = identity.userToken(uniqueId('tok'), userId);
      identity.setUserKey(userId, 'openai', 'sk-proj-noCacheKey0123456789');
      upstream.reply(openAiChatCompletion());

      for (let call = 0; call < 3; call++) {
        await request(gateway.server).post('/api/integrations/execute').set('authorization', `Bearer ${token}`).send(chatBody).expect(200);
      }

      expect(identity.credentialLookups.filter((lookup) => lookup.userId === userId)).toHaveLength(3);
    } finally {
      await gateway.close();
      await upstream.stop();
      await identity.stop();
    }
  });
});
