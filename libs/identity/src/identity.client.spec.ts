import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl, sendJson } from '../../../test/support/loopback-server.js';
import { IdentityClient } from './identity.client.js';

/** The client's own wire: paths under the configured URL, headers, bodies, the answer read whole. */
describe('IdentityClient', () => {
  let server: Server;
  const seen: Array<{ method?: string; url?: string; authorization?: string; accept?: string; body: string }> = [];

  beforeAll(async () => {
    server = createBufferingServer((req, res, body) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, accept: req.headers.accept, body });
      if (req.url?.endsWith('/api/auth/introspect')) return sendJson(res, 200, { active: true, sub: 'user-1' });
      if (req.url?.includes('/nobody/')) return sendJson(res, 404, { message: 'Credential not found' });
      sendJson(res, 200, { apiKey: 'sk-identity-key', credentialId: 'cred-1', isProxy: false });
    });
    await listenOnLoopback(server);
  });

  afterAll(async () => {
    await closeServer(server);
  });

  it('asks under the path of IDENTITY_SERVICE_URL, not only its origin', async () => {
    const client = new IdentityClient({ serviceUrl: `${loopbackUrl(server)}/identity`, timeoutMs: 2_000 });
    try {
      seen.length = 0;
      expect(await client.introspect('token-1')).toMatchObject({ active: true, sub: 'user-1' });
      expect(await client.fetchCredential({ userId: 'user 1', provider: 'openai', bearerToken: 'token-1' })).toMatchObject({
        apiKey: 'sk-identity-key',
        credentialId: 'cred-1',
      });
      expect(await client.fetchCredential({ userId: 'nobody', provider: 'openai', bearerToken: 'token-1' })).toBeNull();
      expect(seen).toEqual([
        {
          method: 'POST',
          url: '/identity/api/auth/introspect',
          authorization: undefined,
          accept: 'application/json',
          body: '{"token":"token-1"}',
        },
        {
          method: 'GET',
          url: '/identity/api/internal/credentials/user%201/openai',
          authorization: 'Bearer token-1',
          accept: 'application/json',
          body: '',
        },
        {
          method: 'GET',
          url: '/identity/api/internal/credentials/nobody/openai',
          authorization: 'Bearer token-1',
          accept: 'application/json',
          body: '',
        },
      ]);
    } finally {
      await client.onApplicationShutdown();
    }
  });

  it('asks at the root when IDENTITY_SERVICE_URL has no path', async () => {
    const client = new IdentityClient({ serviceUrl: loopbackUrl(server), timeoutMs: 2_000 });
    try {
      seen.length = 0;
      await client.introspect('token-2');
      expect(seen.map(({ url }) => url)).toEqual(['/api/auth/introspect']);
    } finally {
      await client.onApplicationShutdown();
    }
  });
});
