import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { successfulChatRecord } from './support/execution-records.js';
import { closeServer, listenOnLoopback, loopbackUrl, sendJson } from './support/loopback-server.js';
import { ExecutionLogWriter } from '@app/execution-log';
import { startTestApp, TEST_JWT_SECRET, tokenFor, uniqueId, type TestApp } from './support/test-app.js';
import { TestClock } from './support/test-clock.js';

const PROTECTED = '/api/integrations/executions';
const UNAUTHENTICATED_BODY = { success: false, code: 'UNAUTHENTICATED', error: 'A valid bearer token is required', category: 'auth' };

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token signed with HMAC-SHA256 over an arbitrary secret, header and all chosen by the test. */
function hmacToken(header: object, claims: object, secret: string | Buffer): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;

describe('JWT authentication with an HS256 secret', () => {
  let gateway: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    gateway = await startTestApp({}, { clock: clock.now });
  });

  afterAll(async () => {
    await gateway.close();
  });

  const get = (authorization?: string) => {
    const call = request(gateway.server).get(PROTECTED);
    return authorization === undefined ? call : call.set('authorization', authorization);
  };

  it('accepts a valid token and takes the user from sub and the org from orgId', async () => {
    // Ids of its own: the executions route lists the organization's calls, and other suites share the database.
    const response = await get(`Bearer ${tokenFor(uniqueId('user'), { orgId: uniqueId('org') })}`).expect(200);

    expect(response.body).toMatchObject({ items: [], total: 0 });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a non-bearer scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a malformed token', 'Bearer not.a.jwt'],
    ['an expired token', `Bearer ${jwt.sign({ sub: 'user-1' }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: -10 })}`],
    [
      'a token signed with another secret',
      `Bearer ${jwt.sign({ sub: 'user-1' }, 'another-secret-0123456789abcdef0123456789', { algorithm: 'HS256' })}`,
    ],
    [
      'an unsigned alg:none token',
      `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'user-1', exp: inFiveMinutes() })}.`,
    ],
    ['a token without sub', `Bearer ${jwt.sign({ orgId: 'org-1' }, TEST_JWT_SECRET, { algorithm: 'HS256' })}`],
    ['a sub longer than 128 characters', `Bearer ${tokenFor('u'.repeat(129))}`],
    ['a sub that is not a plain identifier', `Bearer ${tokenFor('../../admin')}`],
    ['a tampered payload', `Bearer ${tamper(tokenFor('user-1'))}`],
  ])('rejects %s with a plain 401 UNAUTHENTICATED', async (_case, authorization) => {
    const response = await get(authorization).expect(401);

    expect(response.body).toMatchObject(UNAUTHENTICATED_BODY);
    expect(Object.keys(response.body).sort()).toEqual(['category', 'code', 'durationMs', 'error', 'requestId', 'retryable', 'success']);
  });

  it('leaves out organization ids that are not plain identifiers, and scopes to the user instead', async () => {
    const userId = uniqueId('user');
    gateway.app.get(ExecutionLogWriter).record(successfulChatRecord({ requestId: uniqueId('req'), userId }));
    await gateway.flushExecutionLog();

    // With the odd organization kept, the listing would be scoped to it and find nothing.
    const response = await get(`Bearer ${tokenFor(userId, { orgId: 'org with spaces\r\nx-evil: 1' })}`).expect(200);

    expect(response.body).toMatchObject({ total: 1, items: [expect.objectContaining({ userId })] });
  });

  it('refuses a token once it expires, even though it was verified (and cached) before', async () => {
    const shortLived = `Bearer ${jwt.sign({ sub: 'user-short' }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 2 })}`;
    await get(shortLived).expect(200);

    clock.advance(2100);

    await get(shortLived).expect(401);
  });

  it('keeps health, docs and the providers list public', async () => {
    await request(gateway.server).get('/health/live').expect(200);
    await request(gateway.server).get('/health/ready').expect(200);
    await request(gateway.server).get('/api/integrations/providers').expect(200);
    await request(gateway.server).get('/docs-json').expect(200);
  });

  it('requires authentication for everything else', async () => {
    await request(gateway.server).get('/api/integrations/status/details').expect(401);
    await request(gateway.server).get('/api/integrations/credentials').expect(401);
    await request(gateway.server).post('/api/integrations/execute').send({}).expect(401);
  });

  it('refuses X-On-Behalf-Of from a caller without the service role', async () => {
    const response = await get(`Bearer ${tokenFor('user-1')}`)
      .set('x-on-behalf-of', 'user-2')
      .expect(403);

    expect(response.body.code).toBe('FORBIDDEN');
  });
});

function tamper(token: string): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url({ sub: 'admin', exp: inFiveMinutes() })}.${signature}`;
}

describe('JWT authentication with an RS256 public key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let gateway: TestApp;

  beforeAll(async () => {
    // One-line form with \n escapes, as it would sit in an env file.
    gateway = await startTestApp({ JWT_SECRET: undefined, JWT_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n') });
  });

  afterAll(async () => {
    await gateway.close();
  });

  const get = (token: string) => request(gateway.server).get(PROTECTED).set('authorization', `Bearer ${token}`);

  it('accepts a token signed with the matching private key', async () => {
    await get(jwt.sign({ sub: 'user-rs' }, privateKey, { algorithm: 'RS256', expiresIn: 60 })).expect(200);
  });

  it('rejects a token signed with another RSA key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await get(jwt.sign({ sub: 'user-rs' }, other, { algorithm: 'RS256', expiresIn: 60 })).expect(401);
  });

  it('rejects the RS256→HS256 confusion: an HS256 token keyed with the public key', async () => {
    const forged = hmacToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'admin', exp: inFiveMinutes() }, publicPem);

    const response = await get(forged).expect(401);

    expect(response.body).toMatchObject(UNAUTHENTICATED_BODY);
  });

  it('rejects an HS256 token signed with the default test secret (no secret is configured here)', async () => {
    await get(tokenFor('user-1')).expect(401);
  });
});

describe('JWT authentication with a JWKS endpoint (ES256)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let jwks: Server;
  let gateway: TestApp;

  beforeAll(async () => {
    jwks = await serveJwks(publicKey, 'key-1');
    gateway = await startTestApp({ JWT_SECRET: undefined, JWT_JWKS_URL: `${loopbackUrl(jwks)}/.well-known/jwks.json` });
  });

  afterAll(async () => {
    await gateway.close();
    await closeServer(jwks);
  });

  it('accepts an ES256 token whose kid is in the key set', async () => {
    const token = jwt.sign({ sub: uniqueId('user') }, privateKey, { algorithm: 'ES256', keyid: 'key-1', expiresIn: 60 });

    await request(gateway.server).get(PROTECTED).set('authorization', `Bearer ${token}`).expect(200);
  });

  it('rejects a token with an unknown kid', async () => {
    const token = jwt.sign({ sub: 'user-1' }, privateKey, { algorithm: 'ES256', keyid: 'key-unknown', expiresIn: 60 });

    await request(gateway.server).get(PROTECTED).set('authorization', `Bearer ${token}`).expect(401);
  });
});

async function serveJwks(publicKey: KeyObject, kid: string): Promise<Server> {
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' };
  const server = createServer((_req, res) => sendJson(res, 200, { keys: [jwk] }));
  await listenOnLoopback(server);
  return server;
}
