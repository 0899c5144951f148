import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CredentialVault } from '@app/credentials';
import request from 'supertest';
import { FakeUpstream } from './support/fake-upstream.js';
import { TestClock } from './support/test-clock.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, TEST_VAULT_KEY, uniqueId, type TestApp } from './support/test-app.js';

describe('local credential vault', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    gateway = await startTestApp({
      CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY,
      CREDENTIAL_SOURCES: 'vault',
      OPENAI_BASE_URL: upstream.url,
      EXECUTION_LOG_FLUSH_INTERVAL_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  const api = (caller: Record<string, string>) => ({
    put: (provider: string, body: object) =>
      request(gateway.server).put(`/api/integrations/credentials/${provider}`).set(caller).send(body),
    list: () => request(gateway.server).get('/api/integrations/credentials').set(caller),
    remove: (provider: string, scope = 'user') =>
      request(gateway.server).delete(`/api/integrations/credentials/${provider}`).query({ scope }).set(caller),
    execute: () => request(gateway.server).post('/api/integrations/execute').set(caller).send(chatBody),
  });

  it('stores a key encrypted, lists only its fingerprint, uses it, and deletes it', async () => {
    const userId = uniqueId('user');
    const me = api(authAs(userId));
    const apiKey = `sk-proj-vaultRoundTrip${uniqueId('k').slice(-12)}`;

    const stored = await me.put('openai', { apiKey }).expect(200);
    expect(stored.body).toEqual({
      provider: 'openai',
      scope: 'user',
      fingerprint: `sk-proj-…${apiKey.slice(-4)}`,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastUsedAt: null,
    });

    const [row] = await gateway.dataSource.query('SELECT * FROM stored_credentials WHERE owner_id = $1', [userId]);
    expect(row.encrypted_key).toMatch(/^[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+$/);
    expect(JSON.stringify(row)).not.toContain(apiKey);

    await me.execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${apiKey}`);

    const listed = await me.list().expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ provider: 'openai', scope: 'user', fingerprint: stored.body.fingerprint }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);

    await me.remove('openai').expect(204);
    await me.remove('openai').expect(404);
    const afterDelete = await me.execute().expect(424);
    expect(afterDelete.body.code).toBe('CREDENTIAL_NOT_FOUND');
  });

  it('records when a key was last used', async () => {
    const me = api(authAs(uniqueId('user')));
    await me.put('openai', { apiKey: 'sk-proj-lastUsed0123456789' }).expect(200);

    await me.execute().expect(200);

    let lastUsedAt: string | null = null;
    for (let attempt = 0; attempt < 50 && !lastUsedAt; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lastUsedAt = (await me.list()).body.items[0].lastUsedAt;
    }
    expect(lastUsedAt).not.toBeNull();
  });

  it('lets an org admin share a key with the organization; members use it as a proxy, others never', async () => {
    const orgId = uniqueId('org');
    const admin = api(authAs(uniqueId('admin'), { orgId, roles: ['admin'] }));
    const memberId = uniqueId('member');
    const member = api(authAs(memberId, { orgId }));
    const outsider = api(authAs(uniqueId('outsider'), { orgId: uniqueId('org') }));

    await member.put('openai', { apiKey: 'sk-proj-memberTriesOrgKey01', scope: 'org' }).expect(403);
    await admin.put('openai', { apiKey: 'sk-proj-sharedOrgKey0123456', scope: 'org' }).expect(200);

    await member.execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-sharedOrgKey0123456');
    await outsider.execute().expect(424);

    await gateway.flushExecutionLog();
    const [row] = await gateway.dataSource.query('SELECT * FROM execution_logs WHERE user_id = $1', [memberId]);
    expect(row).toMatchObject({ credential_source: 'vault', is_proxy: true, credential_id: expect.any(String) });
    expect((await member.list()).body.items).toEqual([expect.objectContaining({ scope: 'org', fingerprint: 'sk-proj-…3456' })]);
  });

  it("prefers the user's own key over the organization's", async () => {
    const orgId = uniqueId('org');
    await api(authAs(uniqueId('admin'), { orgId, roles: ['admin'] }))
      .put('openai', { apiKey: 'sk-proj-orgKeyNotPreferred1', scope: 'org' })
      .expect(200);
    const me = api(authAs(uniqueId('user'), { orgId }));
    await me.put('openai', { apiKey: 'sk-proj-myOwnKeyPreferred1' }).expect(200);

    await me.execute().expect(200);

    expect(upstream.lastRequest().headers.authorization).toBe('Bearer sk-proj-myOwnKeyPreferred1');
  });

  it("cannot read, use or delete another user's key", async () => {
    const alice = api(authAs(uniqueId('alice')));
    const bobId = uniqueId('bob');
    const bob = api(authAs(bobId));
    await bob.put('openai', { apiKey: 'sk-proj-bobsPrivateKey01234' }).expect(200);

    expect((await alice.list()).body.items).toEqual([]);
    await alice.execute().expect(424);
    await alice.remove('openai').expect(404);
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('alice')))
      .set('x-on-behalf-of', bobId)
      .send(chatBody)
      .expect(403);
    expect((await bob.list()).body.items).toHaveLength(1);
  });

  it('validates what it stores', async () => {
    const me = api(authAs(uniqueId('user')));

    const unknownProvider = await me.put('nonesuch', { apiKey: 'sk-proj-whatever0123456' }).expect(400);
    const shortKey = await me.put('openai', { apiKey: 'short' }).expect(400);
    const badScope = await me.put('openai', { apiKey: 'sk-proj-whatever0123456', scope: 'everyone' }).expect(400);

    expect(unknownProvider.body.code).toBe('UNKNOWN_PROVIDER');
    expect(shortKey.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'apiKey' });
    expect(badScope.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'scope' });
    expect(JSON.stringify(shortKey.body)).not.toContain('short"');
  });
});

describe('vault encryption key checks', () => {
  it('refuses to boot with a key other than the one the vault was written with', async () => {
    // On PGlite a data directory lets a second boot see what the first wrote; on PostgreSQL the
    // vault in the test database already carries TEST_VAULT_KEY's check value.
    const dataDir = mkdtempSync(join(tmpdir(), 'integrations-vault-'));
    const database = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DATA_DIR: dataDir };
    try {
      const first = await startTestApp({ ...database, CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY });
      await first.close();

      const wrongKey = Buffer.alloc(32, 99).toString('base64');
      await expect(startTestApp({ ...database, CREDENTIAL_ENCRYPTION_KEY: wrongKey })).rejects.toThrow(
        'CREDENTIAL_ENCRYPTION_KEY is not the key this credential vault was encrypted with',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers 503 VAULT_DISABLED on the vault endpoints when no key is configured', async () => {
    const gateway = await startTestApp();
    try {
      const response = await request(gateway.server).get('/api/integrations/credentials').set(authAs('user-1')).expect(503);
      expect(response.body.code).toBe('VAULT_DISABLED');
    } finally {
      await gateway.close();
    }
  });
});

describe('vault keys across replicas (VAULT_CREDENTIAL_CACHE_TTL_MS)', () => {
  let upstream: FakeUpstream;
  let clock: TestClock;
  let first: TestApp;
  let second: TestApp;

  beforeEach(async () => {
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    clock = new TestClock();
    const environment = { CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY, CREDENTIAL_SOURCES: 'vault', OPENAI_BASE_URL: upstream.url };
    [first, second] = [await startTestApp(environment, { clock: clock.now }), await startTestApp(environment, { clock: clock.now })];
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    await upstream.stop();
  });

  it('serves a key from memory for a few seconds: a delete through another replica takes effect within that time', async () => {
    const caller = authAs(uniqueId('user'));
    const execute = (replica: TestApp) => request(replica.server).post('/api/integrations/execute').set(caller).send(chatBody);
    await request(second.server)
      .put('/api/integrations/credentials/openai')
      .set(caller)
      .send({ apiKey: 'sk-proj-twoReplicas0123456789' })
      .expect(200);
    await execute(first).expect(200);

    await request(second.server).delete('/api/integrations/credentials/openai').set(caller).expect(204);
    await execute(second).expect(424); // the replica that deleted it knows at once
    await execute(first).expect(200); // the other serves what it read, for up to the TTL
    clock.advance(5_001);
    await execute(first).expect(424);
  });

  it('keeps answers while the vault is unchanged, checking one counter per interval, and reads again once any key changed', async () => {
    const caller = authAs(uniqueId('user'));
    const execute = () => request(first.server).post('/api/integrations/execute').set(caller).send(chatBody);
    await request(second.server)
      .put('/api/integrations/credentials/openai')
      .set(caller)
      .send({ apiKey: 'sk-proj-unchanged0123456789' })
      .expect(200);
    await execute().expect(200);
    const lookups = jest.spyOn(first.app.get(CredentialVault), 'find');

    clock.advance(5_001);
    await execute().expect(200); // the generation is unchanged: no lookup
    expect(lookups).not.toHaveBeenCalled();

    // Someone else's key changes through the other replica: the generation moves.
    await request(second.server)
      .put('/api/integrations/credentials/openai')
      .set(authAs(uniqueId('user')))
      .send({ apiKey: 'sk-proj-someoneElse0123456789' })
      .expect(200);
    await execute().expect(200); // not yet read: still within the interval
    expect(lookups).not.toHaveBeenCalled();
    clock.advance(5_001);
    await execute().expect(200);
    expect(lookups).toHaveBeenCalled();
  });
});
