import { statSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { FakeOpstage, waitFor } from './support/fake-opstage.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiError } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, TEST_VAULT_KEY, uniqueId, type TestApp } from './support/test-app.js';

const ENV_KEY = 'sk-proj-opsEnvironmentKey000001';
const NEW_KEY = 'sk-proj-opsRotatedKeyValid00002';
const BAD_KEY = 'sk-proj-opsRejectedKeyBad000003';

/** On a shared PostgreSQL, service keys and the config snapshot outlive a run: start and end clean. */
async function resetOpsState(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DELETE FROM stored_credentials WHERE scope = 'service'`).catch(() => undefined);
    await client.query(`DELETE FROM ops_config_state`).catch(() => undefined);
  } finally {
    await client.end();
  }
}

describe('OpsAgent against a fake Opstage', () => {
  let opstage: FakeOpstage;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  let agentId: string;
  const tokenDir = mkdtempSync(join(tmpdir(), 'integrations-agent-'));
  const tokenFile = join(tokenDir, 'agent-token.json');
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
  });

  const execute = () => request(gateway.server).post('/api/integrations/execute').set(authAs(uniqueId('user'))).send(chatBody);
  const run = async (actionName: string, payload: Record<string, unknown>, type: 'ACTION_EXECUTE' | 'ACTION_PREPARE' = 'ACTION_EXECUTE', createdByUserId: string | null = 'usr_operator_1') =>
    opstage.completed(opstage.enqueue(agentId, { type, actionName, payload, ...(createdByUserId && { createdByUserId }) }));

  beforeAll(async () => {
    await resetOpsState();
    opstage = await FakeOpstage.start();
    upstream = await FakeUpstream.start();
    upstream.reply((sent) => {
      const key = String(sent.headers.authorization ?? sent.headers['x-api-key'] ?? '').replace('Bearer ', '');
      if (!acceptedKeys.has(key)) return openAiError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
      return sent.method === 'GET' ? { body: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] } } : openAiChatCompletion();
    });
    gateway = await startTestApp({ ...environment(), OPSTAGE_REGISTRATION_TOKEN: opstage.issueRegistrationToken() });
    await waitFor(() => opstage.heartbeats.some((beat) => beat.serviceId), 5000, 'the first heartbeat with a service id');
    agentId = opstage.agentIds()[0]!;
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await opstage.stop();
    await resetOpsState();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  it('registers once, keeps the agent token in a 0600 file, and reports the service', async () => {
    expect(opstage.registrations).toHaveLength(1);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toMatchObject({ agentId, agentToken: expect.stringMatching(/^opstage_agent_/) });

    const service = opstage.lastReportedService();
    expect(service).toMatchObject({ code: 'integrations-test', runtime: 'nodejs', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(service.manifest).toMatchObject({ configRevision: expect.any(Number), integration: { enabled: true } });
    const configs = Object.fromEntries(service.configs.map((config: { key: string; valuePreview: string }) => [config.key, config.valuePreview]));
    expect(configs).toMatchObject({
      'service.version': service.version,
      'providers.openai.defaultModel': 'gpt-4o-mini',
      'providers.openai.baseUrl': `${upstream.url}/v1`,
      'providers.openai.timeoutMs': '60000',
      'providers.openai.keyFingerprint': 'sk-proj-…0001',
      'providers.anthropic.keyFingerprint': 'none',
    });
    const rotateKey = service.actions.find((action: { name: string }) => action.name === 'rotateKey');
    expect(rotateKey).toMatchObject({ dangerLevel: 'HIGH', requiresConfirmation: true, inputSchema: { required: ['provider', 'apiKey'] } });
    expect(service.actions.find((action: { name: string }) => action.name === 'runHealthCheck')).toMatchObject({ dangerLevel: 'LOW' });
  });

  it('heartbeats with its service id and a health the operator can read through the redaction', async () => {
    const beat = opstage.heartbeats.at(-1)!;

    expect(beat.serviceId).toBe(`svc_${agentId}_integrations-test`);
    expect(beat.health).toMatchObject({ status: 'UP', details: { database: 'up', providers: { openai: { state: expect.any(String) } } } });
    expect(JSON.stringify(beat.health)).not.toContain('[REDACTED]');
  });

  it('answers ACTION_PREPARE for rotateKey with the current fingerprint, never the key', async () => {
    const result = await run('rotateKey', {}, 'ACTION_PREPARE');

    expect(result.success).toBe(true);
    expect(result.data.currentState.serviceKeys).toEqual(
      expect.arrayContaining([expect.objectContaining({ provider: 'openai', fingerprint: 'sk-proj-…0001', source: 'environment', lastKeyRotationAt: null })]),
    );
    expect(JSON.stringify(result)).not.toContain(ENV_KEY);
  });

  it.each([
    ['no apiKey', { provider: 'openai' }],
    ['an unknown provider', { provider: 'nonesuch', apiKey: NEW_KEY }],
    ['an extra field', { provider: 'openai', apiKey: NEW_KEY, note: 'x' }],
    ['a key with spaces', { provider: 'openai', apiKey: 'not a key at all' }],
  ])('refuses rotateKey with %s: INVALID_PAYLOAD', async (_case, payload) => {
    const result = await run('rotateKey', payload);

    expect(result).toMatchObject({ success: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('refuses rotateKey from the event bus (no createdByUserId), which skips Opstage confirmation', async () => {
    const result = await run('rotateKey', { provider: 'openai', apiKey: NEW_KEY, busEvent: true } as Record<string, unknown>, 'ACTION_EXECUTE', null);

    expect(result).toMatchObject({ success: false, error: { code: 'CONFIRMATION_REQUIRED' } });
  });

  it('refuses a key the upstream rejects and keeps the current one', async () => {
    const result = await run('rotateKey', { provider: 'openai', apiKey: BAD_KEY });

    expect(result).toMatchObject({ success: false, error: { code: 'KEY_VERIFICATION_FAILED' } });
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  });

  it('rotates to a verified key: used at once, fingerprint reported, audited, drift recorded, key never echoed', async () => {
    const revisionBefore = opstage.lastReportedService().manifest.configRevision;

    const result = await run('rotateKey', { provider: 'openai', apiKey: NEW_KEY });

    expect(result).toMatchObject({
      success: true,
      data: { provider: 'openai', fingerprint: 'sk-proj-…0002', previousFingerprint: 'sk-proj-…0001', source: 'service', rotatedBy: 'usr_operator_1' },
    });
    expect(result.data.lastKeyRotationAt).toEqual(expect.any(String));
    expect(result.data.rollbackAvailableUntil).toEqual(expect.any(String));
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${NEW_KEY}`);

    await waitFor(() => opstage.lastReportedService().manifest.configRevision > revisionBefore, 3000, 'a re-report after rotation');
    const configs = opstage.lastReportedService().configs;
    expect(configs.find((config: { key: string }) => config.key === 'providers.openai.keyFingerprint')).toMatchObject({ valuePreview: 'sk-proj-…0002', source: 'service' });

    const audit = await request(gateway.server).get('/api/integrations/audit').set(authAs('admin-1', { roles: ['admin'] })).expect(200);
    const rotation = audit.body.items.find((entry: { kind: string }) => entry.kind === 'key_rotation');
    expect(rotation).toMatchObject({ action: 'rotateKey', operatorId: 'usr_operator_1', success: true, payload: { provider: 'openai', apiKeyFingerprint: 'sk-proj-…0002' } });
    const drift = audit.body.items.find((entry: { kind: string; payload: { key: string } }) => entry.kind === 'config_drift' && entry.payload.key === 'providers.openai.keyFingerprint');
    expect(drift.payload).toEqual({ key: 'providers.openai.keyFingerprint', from: 'sk-proj-…0001', to: 'sk-proj-…0002' });
    const everything = JSON.stringify({ audit: audit.body, sent: opstage.rawBodies });
    expect(everything).not.toContain(NEW_KEY);
    expect(everything).not.toContain(ENV_KEY);
  });

  it('rolls back to the previous key', async () => {
    const result = await run('rollbackKey', { provider: 'openai' });

    expect(result).toMatchObject({ success: true, data: { fingerprint: 'sk-proj-…0001', previousFingerprint: 'sk-proj-…0002' } });
    await execute().expect(200);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${ENV_KEY}`);
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
      expect(failing.data.checks).toEqual([expect.objectContaining({ provider: 'openai', status: 'DOWN', errorCode: 'PROVIDER_AUTH_FAILED' })]);
      await waitFor(() => opstage.heartbeats.at(-1)?.health?.status === 'DEGRADED', 3000, 'a DEGRADED heartbeat');
      expect(opstage.heartbeats.at(-1)!.health.details.providers.openai).toMatchObject({ state: 'failing', lastError: 'PROVIDER_AUTH_FAILED' });
    } finally {
      acceptedKeys.add(ENV_KEY);
    }
  });

  it('fails closed while Opstage has the agent disabled, and resumes when it is enabled again', async () => {
    opstage.setDisabled(agentId, true);
    await waitFor(async () => (await execute()).status === 503, 2000, 'execute to be refused');

    const refused = await execute().expect(503);
    expect(refused.body.error).toMatchObject({ code: 'INTEGRATION_DISABLED', retryable: true });
    const status = await request(gateway.server).get('/api/integrations/status').set(authAs('operator-1')).expect(200);
    expect(status.body.integration).toMatchObject({ enabled: false, reason: 'AGENT_DISABLED' });
    await request(gateway.server).get('/health/ready').expect(503);

    opstage.setDisabled(agentId, false);
    await waitFor(async () => (await execute()).status === 200, 2000, 'execute to be accepted again');
    await request(gateway.server).get('/health/ready').expect(200);
  });

  it('carries on when Opstage answers 409 because a command was cancelled meanwhile', async () => {
    const cancelled = opstage.enqueue(agentId, { type: 'ACTION_EXECUTE', actionName: 'runHealthCheck', payload: {}, createdByUserId: 'usr_operator_1', cancelOnPoll: true });
    await waitFor(() => cancelled.status === 'COMPLETED', 2000, 'the cancelled command to be polled');

    const next = await run('runHealthCheck', { provider: 'openai' });

    expect(cancelled.result).toBeUndefined();
    expect(next.success).toBe(true);
  });

  it('keeps the audit log to admins and operators', async () => {
    await request(gateway.server).get('/api/integrations/audit').set(authAs('user-1')).expect(403);
    const actions = await request(gateway.server).get('/api/integrations/audit').query({ kind: 'action' }).set(authAs('ops-1', { roles: ['operator'] })).expect(200);

    expect(actions.body.items.map((entry: { errorCode: string }) => entry.errorCode)).toEqual(
      expect.arrayContaining(['INVALID_PAYLOAD', 'CONFIRMATION_REQUIRED', 'KEY_VERIFICATION_FAILED']),
    );
  });

  it('reuses the saved token after a restart, and registers again with a fresh token once the old one is revoked', async () => {
    await gateway.close();
    const heartbeatsBefore = opstage.heartbeats.length;

    gateway = await startTestApp(environment()); // no registration token: the saved one must do
    await waitFor(() => opstage.heartbeats.length > heartbeatsBefore, 3000, 'a heartbeat after restart');
    expect(opstage.registrations).toHaveLength(1);
    expect(opstage.heartbeats.at(-1)!.agentId).toBe(agentId);

    await gateway.close();
    gateway = await startTestApp({ ...environment(), OPSTAGE_REGISTRATION_TOKEN: opstage.issueRegistrationToken() });
    await waitFor(() => opstage.heartbeats.length > heartbeatsBefore + 1, 3000, 'heartbeats');
    opstage.revokeTokens(agentId);
    await waitFor(() => opstage.registrations.length === 2, 3000, 'a second registration');
    await waitFor(async () => (await execute()).status === 200, 3000, 'execute after re-registration');
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
      await waitFor(async () => (await request(gateway.server).get('/api/integrations/status').set(authAs('user-1'))).body.opsAgent.lastError !== null, 3000, 'lastError');
      const status = await request(gateway.server).get('/api/integrations/status').set(authAs('user-1')).expect(200);
      expect(status.body.opsAgent).toMatchObject({ enabled: true, registered: false, lastError: expect.stringContaining('NETWORK') });
      expect(status.body.integration.enabled).toBe(true);
    } finally {
      await gateway.close();
      await upstream.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
