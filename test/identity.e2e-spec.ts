import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from './support/fake-opstage.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { TestClock } from './support/test-clock.js';
import { FakeIdentity } from './support/fake-identity.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { chatBody, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

const CREDENTIAL_TTL_MS = 1000;

describe('Identity service: introspection and on-demand keys', () => {
  let identity: FakeIdentity;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    identity = await FakeIdentity.start(clock.now);
    upstream = await FakeUpstream.start();
    gateway = await startTestApp(
      {
        AUTH_MODE: 'introspection',
        JWT_SECRET: undefined,
        IDENTITY_SERVICE_URL: identity.url,
        CREDENTIAL_SOURCES: 'identity',
        IDENTITY_CREDENTIAL_CACHE_TTL_MS: String(CREDENTIAL_TTL_MS),
        INTROSPECTION_CACHE_TTL_MS: '60000',
        OPENAI_BASE_URL: upstream.url,
        EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
      },
      { clock: clock.now },
    );
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
    request(gateway.server)
      .post('/api/integrations/execute')
      .set({ authorization: `Bearer ${token}`, ...headers })
      .send(chatBody);

  const lookupsFor = (userId: string) => identity.credentialLookups.filter((lookup) => lookup.userId === userId);
  const introspectionsOf = (token: string) => identity.introspections.filter((seen) => seen === token);

  it("calls the upstream with the caller's own key, fetched with the caller's token", async () => {
    const alice = newUser(['org-a1', 'org-a2']);

    await execute(alice.token).expect(200);

    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${alice.apiKey}`);
    const [lookup] = lookupsFor(alice.userId);
    expect(lookup.provider).toBe('openai');
    expect(lookup.headers.authorization).toBe(`Bearer ${alice.token}`);
    expect(lookup.headers['x-service-id']).toBe('integrations');
    expect(lookup.headers['x-org-id']).toBe('org-a1');
  });

  it("uses X-Org-Id only when it names one of the caller's organizations", async () => {
    const bob = newUser(['org-b1', 'org-b2'], false);
    identity.setUserKey(bob.userId, 'openai', bob.apiKey);

    await execute(bob.token, { 'x-org-id': 'org-b2' }).expect(200);
    clock.advance(CREDENTIAL_TTL_MS);
    await execute(bob.token, { 'x-org-id': 'org-not-mine' }).expect(200);

    expect(lookupsFor(bob.userId).map((lookup) => lookup.headers['x-org-id'])).toEqual(['org-b2', 'org-b1']);
  });

  it('answers 401 for a token Identity does not know', async () => {
    const response = await execute('unknown-token').expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it("never trusts a cached introspection past the token's own exp", async () => {
    const userId = uniqueId('user');
    // exp has one-second resolution: 2 s leaves at least 1 s for the first call.
    const shortLived = identity.userToken(uniqueId('tok'), userId, [], [], 2);
    identity.setUserKey(userId, 'openai', 'sk-proj-shortLivedKey012345');
    await execute(shortLived).expect(200);

    clock.advance(2000);

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

    clock.advance(CREDENTIAL_TTL_MS);
    const response = await execute(erin.token).expect(503);
    expect(response.body).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', retryable: true });
  });

  it('answers 503 IDENTITY_UNAVAILABLE for a new token while Identity is unreachable', async () => {
    const frank = newUser();
    identity.mode = 'closed';

    const response = await execute(frank.token).expect(503);

    expect(response.body.code).toBe('IDENTITY_UNAVAILABLE');
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

    expect(response.body).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', provider: 'openai' });
    expect(response.body.error).toContain('openai');
  });

  it('remembers for a while that Identity holds no key for a caller, then asks again', async () => {
    const ivy = newUser([], false);

    await execute(ivy.token).expect(424);
    await execute(ivy.token).expect(424);
    expect(lookupsFor(ivy.userId)).toHaveLength(1);

    identity.setUserKey(ivy.userId, 'openai', 'sk-proj-ivyAddedHerKeyLater0123');
    clock.advance(10_001); // IDENTITY_CREDENTIAL_MISS_CACHE_TTL_MS
    await execute(ivy.token).expect(200);
    expect(lookupsFor(ivy.userId)).toHaveLength(2);
  });

  it('uses the org-wide key when the user has none, and logs it as a proxy use with the credential id', async () => {
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
    expect(impersonation.body.code).toBe('FORBIDDEN');
    expect(lookupsFor(userB.userId).every((lookup) => lookup.headers.authorization === `Bearer ${userB.token}`)).toBe(true);
  });
});

describe('"No key here" from Identity past its TTL, with Identity unreachable', () => {
  /**
   * A gateway whose first call learned that Identity holds no key for the caller; then Identity
   * becomes unreachable and the clock passes IDENTITY_CREDENTIAL_MISS_CACHE_TTL_MS (10 s), staying
   * within the key TTL (60 s) and the token's introspection (30 s). `call` makes the next call.
   */
  async function pastTheMissWithIdentityCut(sources: string) {
    const clock = new TestClock();
    const identity = await FakeIdentity.start(clock.now);
    const path = await TcpProxy.start(Number(new URL(identity.url).port));
    const upstream = await FakeUpstream.start();
    const gateway = await startTestApp(
      {
        AUTH_MODE: 'introspection',
        JWT_SECRET: undefined,
        IDENTITY_SERVICE_URL: `http://127.0.0.1:${path.listeningPort}`,
        CREDENTIAL_SOURCES: sources,
        OPENAI_API_KEY: 'sk-proj-environmentKey0123456789',
        OPENAI_BASE_URL: upstream.url,
      },
      { clock: clock.now },
    );
    const userId = uniqueId('user');
    const token = identity.userToken(uniqueId('tok'), userId);
    upstream.reply(openAiChatCompletion());
    const call = () => request(gateway.server).post('/api/integrations/execute').set('authorization', `Bearer ${token}`).send(chatBody);
    const first = await call();
    await path.cut();
    clock.advance(10_001);
    const lookups = () => identity.credentialLookups.filter((lookup) => lookup.userId === userId);
    const stop = async () => {
      await gateway.close();
      await upstream.stop();
      await identity.stop();
    };
    return { first, call, upstream, lookups, stop };
  }

  it('serves a caller whose key is in a later source without waiting on Identity (it is asked behind the call)', async () => {
    const { first, call, upstream, lookups, stop } = await pastTheMissWithIdentityCut('identity,environment');
    try {
      expect(first.status).toBe(200);

      await call().expect(200);

      expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-environmentKey0123456789');
      expect(lookups()).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it('answers 503 IDENTITY_UNAVAILABLE, as before, to a caller no other source has a key for', async () => {
    const { first, call, stop } = await pastTheMissWithIdentityCut('identity');
    try {
      expect(first.status).toBe(424);

      const response = await call().expect(503);

      expect(response.body.code).toBe('IDENTITY_UNAVAILABLE');
    } finally {
      await stop();
    }
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

describe('Identity edge cases: the gateway’s own token, org roles, failures counted, a stable organization', () => {
  let identity: FakeIdentity;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const tokenDir = mkdtempSync(join(tmpdir(), 'identity-token-'));
  const tokenFile = join(tokenDir, 'token');
  const SERVICE_KEY = 'svc-key-runtime-0123456789abcdef0123456789';

  beforeAll(async () => {
    identity = await FakeIdentity.start();
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    writeFileSync(tokenFile, identity.agentToken(uniqueId('expired'), 'integrations', -60)); // already expired
    gateway = await startTestApp({
      AUTH_MODE: 'introspection',
      JWT_SECRET: undefined,
      IDENTITY_SERVICE_URL: identity.url,
      IDENTITY_TIMEOUT_MS: '300',
      CREDENTIAL_SOURCES: 'identity',
      SERVICE_API_KEYS: `runtime:${SERVICE_KEY}`,
      IDENTITY_SERVICE_TOKEN_FILE: tokenFile,
      OPENAI_BASE_URL: upstream.url,
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await identity.stop();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    identity.mode = 'up';
  });

  const authFailures = async (reason: string): Promise<number> => {
    const metrics = (await request(gateway.server).get('/metrics').expect(200)).text;
    const line = metrics.split('\n').find((candidate) => candidate.startsWith(`gateway_auth_failures_total{reason="${reason}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const asService = (userId: string) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set({ 'x-service-key': SERVICE_KEY, 'x-on-behalf-of': userId })
      .send(chatBody);

  it('answers 503 IDENTITY_UNAVAILABLE (not 401) when Identity refuses the gateway’s own token, counts it, and picks up a new token from the file', async () => {
    const userId = uniqueId('user');
    identity.setUserKey(userId, 'openai', 'sk-proj-serviceCallerKey012345');
    const before = await authFailures('identity_service_token_rejected');

    const refused = await asService(userId).expect(503);
    expect(refused.body).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', retryable: true });
    expect(await authFailures('identity_service_token_rejected')).toBe(before + 1);

    // The projected token is rotated in place: the next lookups use it, no restart.
    writeFileSync(tokenFile, identity.agentToken(uniqueId('fresh'), 'integrations'));
    await waitFor(async () => (await asService(userId)).status === 200, 4000, 'the rotated token to be used');
  });

  it('uses the role a user holds in the organization the call acts in (Identity organizations[].role)', async () => {
    const orgAdmin = identity.userToken(uniqueId('tok'), uniqueId('user'), [{ id: 'org-admin-here', role: 'admin' }, 'org-plain']);
    const plainMember = identity.userToken(uniqueId('tok'), uniqueId('user'), ['org-admin-here']);

    await request(gateway.server)
      .get('/api/integrations/audit')
      .set({ authorization: `Bearer ${orgAdmin}`, 'x-org-id': 'org-admin-here' })
      .expect(200);
    await request(gateway.server)
      .get('/api/integrations/audit')
      .set({ authorization: `Bearer ${orgAdmin}`, 'x-org-id': 'org-plain' })
      .expect(403);
    await request(gateway.server)
      .get('/api/integrations/audit')
      .set({ authorization: `Bearer ${plainMember}` })
      .expect(403);
  });

  it("treats Identity's isSuperAdmin as the global admin role", async () => {
    const superAdmin = identity.userToken(uniqueId('tok'), uniqueId('user'), [], [], 3600, true);
    const plain = identity.userToken(uniqueId('tok'), uniqueId('user'));

    await request(gateway.server)
      .get('/api/integrations/status/details')
      .set({ authorization: `Bearer ${superAdmin}` })
      .expect(200);
    await request(gateway.server)
      .get('/api/integrations/status/details')
      .set({ authorization: `Bearer ${plain}` })
      .expect(403);
  });

  it('counts refused callers by reason, telling an Identity timeout from a refused connection', async () => {
    const counts = async () => ({
      missing: await authFailures('missing_token'),
      invalid: await authFailures('invalid_token'),
      serviceKey: await authFailures('unknown_service_key'),
      timeout: await authFailures('identity_timeout'),
    });
    const before = await counts();

    await request(gateway.server).post('/api/integrations/execute').send(chatBody).expect(401);
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ authorization: 'Bearer not-a-token-anyone-issued' })
      .send(chatBody)
      .expect(401);
    await request(gateway.server).post('/api/integrations/execute').set({ 'x-service-key': 'nope' }).send(chatBody).expect(401);
    identity.mode = 'hang';
    const timedOut = await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ authorization: `Bearer ${uniqueId('new-token')}` })
      .send(chatBody)
      .expect(503);

    expect(timedOut.body).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', metadata: { reason: 'timeout' } });
    expect(await counts()).toEqual({
      missing: before.missing + 1,
      invalid: before.invalid + 1,
      serviceKey: before.serviceKey + 1,
      timeout: before.timeout + 1,
    });
  });

  it('names a refused connection to Identity as such', async () => {
    const closed = await FakeIdentity.start();
    const url = closed.url;
    await closed.stop();
    const other = await startTestApp({
      AUTH_MODE: 'introspection',
      JWT_SECRET: undefined,
      IDENTITY_SERVICE_URL: url,
      CREDENTIAL_SOURCES: 'environment',
    });
    try {
      const response = await request(other.server)
        .post('/api/integrations/execute')
        .set({ authorization: 'Bearer some-token' })
        .send(chatBody)
        .expect(503);
      expect(response.body).toMatchObject({ code: 'IDENTITY_UNAVAILABLE', metadata: { reason: 'refused' } });
    } finally {
      await other.close();
    }
  });

  it('acts, without X-Org-Id, in the same organization whatever order Identity lists them in', async () => {
    const userId = uniqueId('user');
    identity.setUserKey(userId, 'openai', 'sk-proj-orderedOrgsKey01234567');
    const reversed = identity.userToken(uniqueId('tok'), userId, ['org-zulu', 'org-alpha']);
    const lookupsBefore = identity.credentialLookups.length;

    await request(gateway.server)
      .post('/api/integrations/execute')
      .set({ authorization: `Bearer ${reversed}` })
      .send(chatBody)
      .expect(200);

    expect(identity.credentialLookups.slice(lookupsBefore).map((lookup) => lookup.headers['x-org-id'])).toEqual(['org-alpha']);
  });
});
