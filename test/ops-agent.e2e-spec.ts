import { statSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { FakeOpstage, waitFor } from './support/fake-opstage.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { TestClock } from './support/test-clock.js';
import { authAs, chatBody, startTestApp, TEST_VAULT_KEY, uniqueId, type TestApp } from './support/test-app.js';

const ENV_KEY = 'sk-proj-opsEnvironmentKey000001';
const NEW_KEY = 'sk-proj-opsRotatedKeyValid00002';
const BAD_KEY = 'sk-proj-opsRejectedKeyBad000003';

/**
 * How long a test waits for the agent's loops (the fake Opstage sets 0.2 s heartbeats and 0.05 s
 * polls) before it fails: far longer than they take, since it only counts when a test fails.
 */
const AGENT_WAIT_MS = 10_000;

/** On a shared PostgreSQL, service keys and the config snapshot outlive a run: start and end clean. */
async function resetOpsState(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DELETE FROM stored_credentials WHERE scope = 'service'`).catch(() => undefined);
    await client.query(`DELETE FROM ops_config_state`).catch(() => undefined);
    await client.query(`DELETE FROM ops_agent_verdict WHERE service_code LIKE 'integrations-test%'`).catch(() => undefined);
    await client.query(`DELETE FROM ops_result_outbox WHERE service_code LIKE 'integrations-test%'`).catch(() => undefined);
  } finally {
    await client.end();
  }
}

describe('OpsAgent against a fake Opstage', () => {
  let opstage: FakeOpstage;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const clock = new TestClock();
  const ROLLBACK_GRACE_MS = 60_000;
  let agentId: string;
  const tokenDir = mkdtempSync(join(tmpdir(), 'integrations-agent-'));
  const tokenFile = join(tokenDir, 'agent-token.json');
  const secretDir = mkdtempSync(join(tmpdir(), 'integrations-secrets-'));
  const acceptedKeys = new Set([ENV_KEY, NEW_KEY]);

  const environment = () => ({
    OPSTAGE_BACKEND_URL: opstage.url,
    OPSTAGE_AGENT_TOKEN_FILE: tokenFile,
    OPSTAGE_SERVICE_CODE: 'integrations-test',
    CREDENTIAL_ENCRYPTION_KEY: TEST_VAULT_KEY,
    CREDENTIAL_SOURCES: 'environment',
    OPENAI_API_KEY: ENV_KEY,
    OPENAI_BASE_URL: `${upstream.url}/v1`,
    ANTHROPIC_BASE_URL: upstream.url,
    HUGGINGFACE_BASE_URL: upstream.url,
    OPSTAGE_SECRET_DIRS: secretDir,
    KEY_ROTATION_GRACE_MS: String(ROLLBACK_GRACE_MS),
  });

  const execute = () =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(chatBody);
  const run = async (
    actionName: string,
    payload: Record<string, unknown>,
    type: 'ACTION_EXECUTE' | 'ACTION_PREPARE' = 'ACTION_EXECUTE',
    createdByUserId: string | null = 'usr_operator_1',
  ) => opstage.completed(opstage.enqueue(agentId, { type, actionName, payload, ...(createdByUserId && { createdByUserId }) }));

  beforeAll(async () => {
    await resetOpsState();
    // The new keys an operator has put where the service can reach them: a variable on the pod, a mounted Secret.
    process.env.OPENAI_API_KEY_NEXT = NEW_KEY;
    process.env.OPENAI_API_KEY_BAD = BAD_KEY;
    writeFileSync(join(secretDir, 'openai-next'), `${NEW_KEY}\n`);
    opstage = await FakeOpstage.start();
    upstream = await FakeUpstream.start();
    upstream.reply((sent) => {
      const key = String(sent.headers.authorization ?? sent.headers['x-api-key'] ?? '').replace('Bearer ', '');
      if (!acceptedKeys.has(key)) return openAiError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
      return sent.method === 'GET' ? { body: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] } } : openAiChatCompletion();
    });
    gateway = await startTestApp({ ...environment(), OPSTAGE_REGISTRATION_TOKEN: opstage.issueRegistrationToken() }, { clock: clock.now });
    await waitFor(() => opstage.heartbeats.some((beat) => beat.serviceId), AGENT_WAIT_MS, 'the first heartbeat with a service id');
    agentId = opstage.agentIds()[0]!;
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await opstage.stop();
    await resetOpsState();
    rmSync(tokenDir, { recursive: true, force: true });
    rmSync(secretDir, { recursive: true, force: true });
    delete process.env.OPENAI_API_KEY_NEXT;
    delete process.env.OPENAI_API_KEY_BAD;
  });

  it('registers once, keeps the agent token in a 0600 file, and reports the service', () => {
    expect(opstage.registrations).toHaveLength(1);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toMatchObject({ agentId, agentToken: expect.stringMatching(/^opstage_agent_/) });

    const service = opstage.lastReportedService();
    expect(service).toMatchObject({ code: 'integrations-test', runtime: 'nodejs', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(service.manifest).toMatchObject({
      kind: 'CapsuleService',
      code: 'integrations-test',
      name: 'Integrations Service',
      version: service.version,
      runtime: 'nodejs',
      agentMode: 'embedded',
      configRevision: expect.any(Number),
      integration: { enabled: true },
    });
    const configs = Object.fromEntries(
      service.configs.map((config: { key: string; valuePreview: string }) => [config.key, config.valuePreview]),
    );
    expect(configs).toMatchObject({
      'service.version': service.version,
      'providers.openai.defaultModel': 'gpt-4o-mini',
      'providers.openai.baseUrl': `${upstream.url}/v1`,
      'providers.openai.timeoutMs': '60000',
      'providers.openai.keyFingerprint': 'sk-proj-…0001',
      'providers.anthropic.keyFingerprint': 'none',
    });
    const rotateKey = service.actions.find((action: { name: string }) => action.name === 'rotateKey');
    expect(rotateKey).toMatchObject({
      dangerLevel: 'HIGH',
      requiresConfirmation: true,
      inputSchema: { required: ['provider', 'secretRef'] },
    });
    expect(service.actions.find((action: { name: string }) => action.name === 'runHealthCheck')).toMatchObject({ dangerLevel: 'LOW' });
    expect(service.actions.find((action: { name: string }) => action.name === 'resetCircuit')).toMatchObject({
      dangerLevel: 'LOW',
      requiresConfirmation: false,
    });
  });

  it('heartbeats with its service id and a health the operator can read through the redaction', () => {
    const beat = opstage.heartbeats.at(-1)!;

    expect(beat.serviceId).toBe(`svc_${agentId}_integrations-test`);
    expect(beat.health).toMatchObject({ status: 'UP', details: { database: 'up', providers: { openai: { state: expect.any(String) } } } });
    expect(JSON.stringify(beat.health)).not.toContain('[REDACTED]');
  });

  it('answers ACTION_PREPARE for rotateKey with the current fingerprint and the secretRefs available (names only), never a key', async () => {
    const result = await run('rotateKey', {}, 'ACTION_PREPARE');

    expect(result.success).toBe(true);
    expect(result.data.currentState.serviceKeys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: 'openai', fingerprint: 'sk-proj-…0001', source: 'environment', lastKeyRotationAt: null }),
      ]),
    );
    expect(result.data.currentState.availableKeyRefs).toEqual(
      expect.arrayContaining(['env:OPENAI_API_KEY_NEXT', `file:${join(secretDir, 'openai-next')}`]),
    );
    expect(result.data.currentState.availableKeyRefs).not.toContain('env:CREDENTIAL_ENCRYPTION_KEY');
    expect(JSON.stringify(result)).not.toContain(ENV_KEY);
    expect(JSON.stringify(result)).not.toContain(NEW_KEY);
  });

  it('refuses a raw key in the payload with INVALID_PAYLOAD pointing to secretRef, without echoing it anywhere', async () => {
    const result = await run('rotateKey', { provider: 'openai', apiKey: NEW_KEY });

    expect(result).toMatchObject({ success: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('secretRef') } });
    const audit = await request(gateway.server)
      .get('/api/integrations/audit')
      .set(authAs('admin-1', { roles: ['admin'] }))
      .expect(200);
    expect(JSON.stringify({ result, audit: audit.body })).not.toContain(NEW_KEY);
  });

  it.each([
    ['no secretRef', { provider: 'openai' }, 'INVALID_PAYLOAD'],
    ['an unknown provider', { provider: 'nonesuch', secretRef: 'env:OPENAI_API_KEY_NEXT' }, 'INVALID_PAYLOAD'],
    ['an extra field', { provider: 'openai', secretRef: 'env:OPENAI_API_KEY_NEXT', note: 'x' }, 'INVALID_PAYLOAD'],
    ['a ref to one of the gateway’s own secrets', { provider: 'openai', secretRef: 'env:CREDENTIAL_ENCRYPTION_KEY' }, 'INVALID_PAYLOAD'],
    ['a file outside the secret directories', { provider: 'openai', secretRef: 'file:/etc/passwd' }, 'INVALID_PAYLOAD'],
    ['a path climbing out of them', { provider: 'openai', secretRef: `file:${secretDir}/../etc/passwd` }, 'INVALID_PAYLOAD'],
    ['a variable that is not set', { provider: 'openai', secretRef: 'env:OPENAI_API_KEY_MISSING' }, 'SECRET_REF_UNRESOLVED'],
  ])('refuses rotateKey with %s', async (_case, payload, code) => {
    const result = await run('rotateKey', payload);

    expect(result).toMatchObject({ success: false, error: { code } });
  });

  it('refuses rotateKey from the event bus (no createdByUserId), which skips Opstage confirmation', async () => {
    const result = await opstage.completed(
      opstage.enqueueFromBus(agentId, 'rotateKey', { provider: 'openai', secretRef: 'env:OPENAI_API_KEY_NEXT' }),
    );

    expect(result).toMatchObject({ success: false, error: { code: 'CONFIRMATION_REQUIRED' } });
  });

  it('unwraps event-bus commands: LOW actions (runHealthCheck, resetCircuit) run with their inner payload', async () => {
    const check = await opstage.completed(opstage.enqueueFromBus(agentId, 'runHealthCheck', { provider: 'openai' }));
    const reset = await opstage.completed(opstage.enqueueFromBus(agentId, 'resetCircuit', { provider: 'openai' }));

    expect(check).toMatchObject({ success: true, data: { checks: [expect.objectContaining({ provider: 'openai', status: 'UP' })] } });
    expect(reset).toMatchObject({ success: true, data: { reset: ['openai'], circuits: expect.objectContaining({ openai: 'closed' }) } });
    const audit = await request(gateway.server)
      .get('/api/integrations/audit')
      .set(authAs('admin-1', { roles: ['admin'] }))
      .expect(200);
    expect(audit.body.items.find((entry: { action: string }) => entry.action === 'resetCircuit')).toMatchObject({
      payload: { provider: 'openai', viaBus: true },
      success: true,
    });
  });

  it('refuses a key the upstream rejects and keeps the current one', async () => {
    const result = await run('rotateKey', { provider: 'openai', secretRef: 'env:OPENAI_API_KEY_BAD' });

    expect(result).toMatchObject({ success: false, error: { code: 'KEY_VERIFICATION_FAILED' } });
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  });

  it('rotates to a verified key taken from its secretRef: used at once, fingerprint and ref reported, audited, drift recorded, key never in any payload', async () => {
    const revisionBefore = opstage.lastReportedService().manifest.configRevision;
    const storedBefore = opstage.storedPayloads.length;
    opstage.failReports = 1; // the re-report after the rotation fails once, and must be retried

    const result = await run('rotateKey', { provider: 'openai', secretRef: `file:${join(secretDir, 'openai-next')}` });

    expect(result).toMatchObject({
      success: true,
      data: {
        provider: 'openai',
        fingerprint: 'sk-proj-…0002',
        previousFingerprint: 'sk-proj-…0001',
        source: 'service',
        rotatedBy: 'usr_operator_1',
        keyRef: `file:${join(secretDir, 'openai-next')}`,
      },
    });
    expect(result.data.lastKeyRotationAt).toEqual(expect.any(String));
    expect(result.data.rollbackAvailableUntil).toEqual(expect.any(String));
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${NEW_KEY}`);

    await waitFor(
      () => opstage.lastReportedService().manifest.configRevision > revisionBefore,
      AGENT_WAIT_MS,
      'a re-report after rotation',
    );
    const configs = opstage.lastReportedService().configs;
    expect(configs.find((config: { key: string }) => config.key === 'providers.openai.keyFingerprint')).toMatchObject({
      valuePreview: 'sk-proj-…0002',
      source: 'service',
      secretRef: `file:${join(secretDir, 'openai-next')}`,
    });

    const audit = await request(gateway.server)
      .get('/api/integrations/audit')
      .set(authAs('admin-1', { roles: ['admin'] }))
      .expect(200);
    const rotation = audit.body.items.find((entry: { kind: string }) => entry.kind === 'key_rotation');
    expect(rotation).toMatchObject({
      action: 'rotateKey',
      operatorId: 'usr_operator_1',
      success: true,
      payload: { provider: 'openai', secretRef: `file:${join(secretDir, 'openai-next')}` },
    });
    const drift = audit.body.items.find(
      (entry: { kind: string; payload: { key: string } }) =>
        entry.kind === 'config_drift' && entry.payload.key === 'providers.openai.keyFingerprint',
    );
    expect(drift.payload).toEqual({ key: 'providers.openai.keyFingerprint', from: 'sk-proj-…0001', to: 'sk-proj-…0002' });
    // Opstage's own database: every payload it stored, and everything the agent sent it.
    const everything = JSON.stringify({ audit: audit.body, sent: opstage.rawBodies, stored: opstage.storedPayloads.slice(storedBefore) });
    expect(everything).not.toContain(NEW_KEY);
    expect(everything).not.toContain(ENV_KEY);
  });

  it('rolls back to the previous key', async () => {
    const result = await run('rollbackKey', { provider: 'openai' });

    expect(result).toMatchObject({ success: true, data: { fingerprint: 'sk-proj-…0001', previousFingerprint: 'sk-proj-…0002' } });
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  });

  it('refuses a rollback once the grace period has ended, and says none is available', async () => {
    clock.advance(ROLLBACK_GRACE_MS + 1);

    const result = await run('rollbackKey', { provider: 'openai' });
    const prepared = await run('rotateKey', {}, 'ACTION_PREPARE');

    expect(result).toMatchObject({ success: false, error: { code: 'NO_ROLLBACK_KEY' } });
    expect(prepared.data.currentState.serviceKeys).toContainEqual(
      expect.objectContaining({ provider: 'openai', previousFingerprint: null, rollbackAvailableUntil: null }),
    );
  });

  it('runHealthCheck probes each upstream with the service key and updates the reported health', async () => {
    const result = await run('runHealthCheck', {});

    expect(result.success).toBe(true);
    const checks = Object.fromEntries(result.data.checks.map((check: { provider: string }) => [check.provider, check]));
    expect(checks.openai).toMatchObject({ status: 'UP', latencyMs: expect.any(Number), errorCode: null });
    expect(checks.anthropic).toMatchObject({ status: 'SKIPPED', errorCode: 'CREDENTIAL_NOT_FOUND' });

    acceptedKeys.delete(ENV_KEY);
    try {
      const failing = await run('runHealthCheck', { provider: 'openai' });
      expect(failing.data.checks).toEqual([
        expect.objectContaining({ provider: 'openai', status: 'DOWN', errorCode: 'PROVIDER_AUTH_FAILED' }),
      ]);
      await waitFor(() => opstage.heartbeats.at(-1)?.health?.status === 'DEGRADED', AGENT_WAIT_MS, 'a DEGRADED heartbeat');
      expect(opstage.heartbeats.at(-1)!.health.details.providers.openai).toMatchObject({
        state: 'failing',
        lastError: 'PROVIDER_AUTH_FAILED',
      });
    } finally {
      acceptedKeys.add(ENV_KEY);
    }
  });

  it('fails closed while Opstage has the agent disabled, and resumes when it is enabled again', async () => {
    opstage.setDisabled(agentId, true);
    await waitFor(async () => (await execute()).status === 503, AGENT_WAIT_MS, 'execute to be refused');

    const refused = await execute().expect(503);
    expect(refused.body).toMatchObject({ code: 'INTEGRATION_DISABLED', retryable: true });
    const status = await request(gateway.server)
      .get('/api/integrations/status/details')
      .set(authAs('operator-1', { roles: ['operator'] }))
      .expect(200);
    expect(status.body.integration).toMatchObject({ enabled: false, reason: 'AGENT_DISABLED' });
    await request(gateway.server).get('/health/ready').expect(503);

    opstage.setDisabled(agentId, false);
    await waitFor(async () => (await execute()).status === 200, AGENT_WAIT_MS, 'execute to be accepted again');
    await request(gateway.server).get('/health/ready').expect(200);
  });

  it('carries on when Opstage answers 409 because a command was cancelled meanwhile', async () => {
    const cancelled = opstage.enqueue(agentId, {
      type: 'ACTION_EXECUTE',
      actionName: 'runHealthCheck',
      payload: {},
      createdByUserId: 'usr_operator_1',
      cancelOnPoll: true,
    });
    await waitFor(() => cancelled.status === 'COMPLETED', AGENT_WAIT_MS, 'the cancelled command to be polled');

    const next = await run('runHealthCheck', { provider: 'openai' });

    expect(cancelled.result).toBeUndefined();
    expect(next.success).toBe(true);
  });

  it('keeps the audit log to admins and operators', async () => {
    await request(gateway.server).get('/api/integrations/audit').set(authAs('user-1')).expect(403);
    const actions = await request(gateway.server)
      .get('/api/integrations/audit')
      .query({ kind: 'action' })
      .set(authAs('ops-1', { roles: ['operator'] }))
      .expect(200);

    expect(actions.body.items.map((entry: { errorCode: string }) => entry.errorCode)).toEqual(
      expect.arrayContaining(['INVALID_PAYLOAD', 'CONFIRMATION_REQUIRED', 'KEY_VERIFICATION_FAILED']),
    );
  });

  it('reuses the saved token after a restart, and registers again with a fresh token once the old one is revoked', async () => {
    await gateway.close();
    const heartbeatsBefore = opstage.heartbeats.length;

    gateway = await startTestApp(environment()); // no registration token: the saved one must do
    await waitFor(() => opstage.heartbeats.length > heartbeatsBefore, AGENT_WAIT_MS, 'a heartbeat after restart');
    expect(opstage.registrations).toHaveLength(1);
    expect(opstage.heartbeats.at(-1)!.agentId).toBe(agentId);

    await gateway.close();
    gateway = await startTestApp({ ...environment(), OPSTAGE_REGISTRATION_TOKEN: opstage.issueRegistrationToken() });
    await waitFor(() => opstage.heartbeats.length > heartbeatsBefore + 1, AGENT_WAIT_MS, 'heartbeats');
    opstage.revokeTokens(agentId);
    await waitFor(() => opstage.registrations.length === 2, AGENT_WAIT_MS, 'a second registration');
    await waitFor(async () => (await execute()).status === 200, AGENT_WAIT_MS, 'execute after re-registration');
    expect(JSON.parse(readFileSync(tokenFile, 'utf8')).agentId).toBe(agentId);
  });
});

describe('OpsAgent when Opstage is unreachable', () => {
  it('leaves the data plane alone and says why in status', async () => {
    const closed = await FakeOpstage.start();
    const url = closed.url;
    await closed.stop();
    const upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    const dir = mkdtempSync(join(tmpdir(), 'integrations-agent-'));
    const gateway = await startTestApp({
      OPSTAGE_BACKEND_URL: url,
      OPSTAGE_REGISTRATION_TOKEN: 'opstage_reg_unused',
      OPSTAGE_AGENT_TOKEN_FILE: join(dir, 'token.json'),
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: ENV_KEY,
    });
    try {
      await request(gateway.server).post('/api/integrations/execute').set(authAs('user-1')).send(chatBody).expect(200);
      await waitFor(
        async () =>
          (
            await request(gateway.server)
              .get('/api/integrations/status/details')
              .set(authAs('user-1', { roles: ['operator'] }))
          ).body.opsAgent.lastError !== null,
        AGENT_WAIT_MS,
        'lastError',
      );
      const status = await request(gateway.server)
        .get('/api/integrations/status/details')
        .set(authAs('user-1', { roles: ['operator'] }))
        .expect(200);
      expect(status.body.opsAgent).toMatchObject({ enabled: true, registered: false, lastError: expect.stringContaining('NETWORK') });
      // First boot, never heard from Opstage: it serves, and says the verdict is not confirmed.
      expect(status.body.integration).toMatchObject({ enabled: true, verdictSource: 'none' });
    } finally {
      await gateway.close();
      await upstream.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpsAgent: fail closed survives restarts, results survive Opstage outages', () => {
  const tokenDir = mkdtempSync(join(tmpdir(), 'integrations-agent-'));
  let upstream: FakeUpstream;
  let opstage: FakeOpstage;

  beforeAll(async () => {
    await resetOpsState();
    upstream = await FakeUpstream.start();
    upstream.reply((sent) => (sent.method === 'GET' ? { body: { object: 'list', data: [] } } : openAiChatCompletion()));
  });

  afterAll(async () => {
    await upstream.stop();
    await resetOpsState();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  // A restart must find what the last run stored: on PGlite that takes its file-backed mode (in-memory PGlite goes with the app).
  const persistentDatabase = process.env.DATABASE_URL ? {} : { DATABASE_URL: undefined, PGLITE_DATA_DIR: join(tokenDir, 'pglite') };
  const environment = (code: string, registrationToken?: string, backendUrl = opstage.url) => ({
    ...persistentDatabase,
    OPSTAGE_BACKEND_URL: backendUrl,
    OPSTAGE_AGENT_TOKEN_FILE: join(tokenDir, `${code}.json`),
    OPSTAGE_SERVICE_CODE: code,
    ...(registrationToken && { OPSTAGE_REGISTRATION_TOKEN: registrationToken }),
    OPENAI_API_KEY: ENV_KEY,
    OPENAI_BASE_URL: upstream.url,
  });
  const execute = (gateway: TestApp) =>
    request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send(chatBody);
  const firstHeartbeat = (agentCount: number) =>
    waitFor(
      () => opstage.agentIds().length >= agentCount && opstage.heartbeats.some((beat) => beat.serviceId),
      AGENT_WAIT_MS,
      'registration',
    );

  it('a revoked gateway does not serve again after a restart (its single-use registration token is refused)', async () => {
    opstage = await FakeOpstage.start();
    const registrationToken = opstage.issueRegistrationToken();
    let gateway = await startTestApp(environment('integrations-test-revoke', registrationToken));
    try {
      await firstHeartbeat(1);
      const agentId = opstage.agentIds()[0];
      await execute(gateway).expect(200);

      opstage.revokeTokens(agentId);
      await waitFor(async () => (await execute(gateway)).status === 503, AGENT_WAIT_MS, 'the revocation to take effect');
      await gateway.close();

      // The same configuration, restarted: the used registration token must not bring it back.
      gateway = await startTestApp(environment('integrations-test-revoke', registrationToken));
      const refused = await execute(gateway).expect(503);
      expect(refused.body.code).toBe('INTEGRATION_DISABLED');
      await waitFor(
        () => opstage.rawBodies.filter((body) => body.includes(registrationToken)).length >= 2,
        AGENT_WAIT_MS,
        'the refused re-registration',
      );
      await execute(gateway).expect(503);
      const status = await request(gateway.server)
        .get('/api/integrations/status/details')
        .set(authAs('operator-1', { roles: ['operator'] }))
        .expect(200);
      expect(status.body.integration).toMatchObject({
        enabled: false,
        reason: expect.stringMatching(/REGISTRATION_REFUSED|AGENT_TOKEN_REJECTED/),
      });
    } finally {
      await gateway.close();
      await opstage.stop();
    }
  });

  it('a disabled gateway restarted while Opstage is unreachable stays off', async () => {
    opstage = await FakeOpstage.start();
    const backendUrl = opstage.url;
    let gateway: TestApp | undefined = await startTestApp(environment('integrations-test-disable', opstage.issueRegistrationToken()));
    try {
      await firstHeartbeat(1);
      const agentId = opstage.agentIds()[0];
      opstage.setDisabled(agentId, true);
      await waitFor(async () => (await execute(gateway!)).status === 503, AGENT_WAIT_MS, 'the disable to take effect');
      await gateway.close();
      gateway = undefined;
      await opstage.stop();

      gateway = await startTestApp(environment('integrations-test-disable', undefined, backendUrl));
      const refused = await execute(gateway).expect(503);
      expect(refused.body.code).toBe('INTEGRATION_DISABLED');
      const status = await request(gateway.server)
        .get('/api/integrations/status/details')
        .set(authAs('operator-1', { roles: ['operator'] }))
        .expect(200);
      expect(status.body.integration).toMatchObject({ enabled: false, reason: 'AGENT_DISABLED', verdictSource: 'persisted' });
    } finally {
      await gateway?.close();
      await opstage.stop();
    }
  });

  it('keeps a result Opstage could not take, runs the rest of the batch, and delivers it later', async () => {
    opstage = await FakeOpstage.start();
    const clock = new TestClock();
    const gateway = await startTestApp(environment('integrations-test-outbox', opstage.issueRegistrationToken()), { clock: clock.now });
    try {
      await firstHeartbeat(1);
      const agentId = opstage.agentIds()[0];
      opstage.failResults = 1;
      const first = opstage.enqueue(agentId, {
        type: 'ACTION_EXECUTE',
        actionName: 'runHealthCheck',
        payload: { provider: 'openai' },
        createdByUserId: 'usr_operator_1',
      });
      const second = opstage.enqueue(agentId, {
        type: 'ACTION_EXECUTE',
        actionName: 'resetCircuit',
        payload: {},
        createdByUserId: 'usr_operator_1',
      });

      expect(await opstage.completed(second)).toMatchObject({ success: true });
      expect(first.status).toBe('RUNNING');
      clock.advance(1_000); // the outbox's first redelivery is due
      expect(await opstage.completed(first)).toMatchObject({
        success: true,
        data: { checks: [expect.objectContaining({ provider: 'openai' })] },
      });
    } finally {
      await gateway.close();
      await opstage.stop();
    }
  });
});
