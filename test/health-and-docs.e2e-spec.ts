import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { authAs, startTestApp, type TestApp } from './support/test-app.js';

/** Every route the service serves; the Swagger document must describe each one. */
const ROUTES = [
  ['post', '/api/integrations/execute'],
  ['post', '/api/integrations/execute/batch'],
  ['get', '/api/integrations/providers'],
  ['get', '/api/integrations/status'],
  ['get', '/api/integrations/status/details'],
  ['get', '/api/integrations/providers/{provider}'],
  ['get', '/api/integrations/providers/{provider}/models'],
  ['get', '/api/integrations/models'],
  ['get', '/api/integrations/capabilities'],
  ['get', '/api/integrations/circuit-breaker'],
  ['post', '/api/integrations/circuit-breaker/reset'],
  ['post', '/api/integrations/circuit-breaker/reset/{provider}'],
  ['get', '/api/stats'],
  ['get', '/health'],
  ['get', '/api/integrations/executions'],
  ['get', '/api/integrations/credentials'],
  ['put', '/api/integrations/credentials/{provider}'],
  ['delete', '/api/integrations/credentials/{provider}'],
  ['get', '/api/integrations/audit'],
  ['get', '/api/integrations/usage'],
  ['get', '/api/integrations/usage/series'],
  ['get', '/api/integrations/usage/latency'],
  ['get', '/api/integrations/limits'],
  ['post', '/api/integrations/estimate'],
  ['post', '/v1/chat/completions'],
  ['post', '/v1/embeddings'],
  ['post', '/v1/messages'],
  ['post', '/v1/responses'],
  ['get', '/v1/models'],
  ['get', '/metrics'],
  ['get', '/health/live'],
  ['get', '/health/ready'],
] as const;

describe('health, providers and docs', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    gateway = await startTestApp();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('GET /health/live answers 200 without touching the database', async () => {
    const response = await request(gateway.server).get('/health/live').expect(200);

    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('GET /health/ready answers 200 with the database up', async () => {
    const response = await request(gateway.server).get('/health/ready').expect(200);

    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('GET /api/integrations/providers lists every provider without auth, and per-caller key availability with it', async () => {
    const anonymous = await request(gateway.server).get('/api/integrations/providers').expect(200);
    const identified = await request(gateway.server).get('/api/integrations/providers').set(authAs('user-without-keys')).expect(200);

    expect(anonymous.body.providers.map((provider: { name: string }) => provider.name)).toEqual(['openai', 'anthropic', 'huggingface']);
    expect(anonymous.body.providers[0]).toEqual({
      name: 'openai',
      displayName: 'OpenAI',
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o-mini',
      supportedOperations: ['chat.completions', 'image.description', 'embeddings', 'responses'],
      timeoutMs: 60000,
      requiresCredential: true,
      credentialAvailable: null,
      operations: [
        { name: 'chat.completions', description: expect.any(String), defaultModel: 'gpt-4o-mini' },
        { name: 'image.description', description: expect.any(String), defaultModel: 'gpt-4o-mini' },
        { name: 'embeddings', description: expect.any(String), defaultModel: 'text-embedding-3-small' },
        { name: 'responses', description: expect.any(String), defaultModel: 'gpt-4o-mini' },
      ],
    });
    expect(identified.body.providers.map((provider: { credentialAvailable: boolean }) => provider.credentialAvailable)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(gateway.server).get('/docs').redirects(1).expect(200);

    expect(response.text).toContain('swagger');
  });

  it('GET /docs-json documents every route with response schemas', async () => {
    const response = await request(gateway.server).get('/docs-json').expect(200);
    const paths = response.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;

    const documented = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path] of ROUTES) {
      expect(Object.keys(paths[path][method].responses).some((status) => status.startsWith('2'))).toBe(true);
    }
    const execute = paths['/api/integrations/execute'].post as unknown as {
      requestBody: { content: Record<string, { schema: { $ref: string } }> };
      responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
    };
    expect(execute.requestBody.content['application/json'].schema.$ref).toContain('ExecuteRequestDto');
    expect(execute.responses['200'].content!['application/json'].schema.$ref).toContain('ExecuteResponseDto');
    expect(response.body.components.schemas.ExecuteResponseDto.required).toEqual(['success', 'data', 'requestId', 'durationMs']);
    expect(response.body.components.schemas.ErrorResponseDto.required).toEqual(
      expect.arrayContaining(['success', 'error', 'code', 'category', 'retryable', 'requestId', 'durationMs']),
    );
    expect(execute.responses['400'].content!['application/json'].schema.$ref).toContain('ErrorResponseDto');
    expect(Object.keys(response.body.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'serviceKey']));
    expect(response.body.components.schemas.NormalizedResponseDto.required).toEqual(
      expect.arrayContaining(['provider', 'model', 'content', 'usage', 'finishReason', 'metadata']),
    );
  });
});

describe('readiness when the database is gone', () => {
  it('GET /health/ready stays 200 but degraded, naming the database and nothing about where it is', async () => {
    const gateway = await startTestApp();
    try {
      await gateway.dataSource.destroy();

      // Unready would take every replica out of the load balancer at once, while calls are still served.
      const ready = await request(gateway.server).get('/health/ready').expect(200);
      await request(gateway.server).get('/health/live').expect(200);
      const status = await request(gateway.server)
        .get('/api/integrations/status/details')
        .set(authAs('operator-1', { roles: ['operator'] }))
        .expect(200);

      expect(ready.body).toEqual({
        status: 'degraded',
        info: { integration: { status: 'up' } },
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' }, integration: { status: 'up' } },
      });
      expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|5432|ECONN/);
      expect(status.body.database.status).toBe('down');
    } finally {
      await gateway.close();
    }
  });
});
