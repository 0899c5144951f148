import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ModelCatalog } from '@app/catalog';
import { PricingTable } from '@app/limits';
import { FakeCatalog } from './support/fake-catalog.js';
import { FakeIdentity } from './support/fake-identity.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion, openAiEmbeddings } from './support/openai-replies.js';
import { startTestApp, uniqueId, type TestApp } from './support/test-app.js';

/**
 * The platform's callers, request by request as their own client code sends them, against the
 * gateway (../shared/contracts/symbia-integrations-wire.md): every field each caller reads, with the
 * meaning it expects. AI = assistants integrations-client, MR/MG = models remote/registry, LI =
 * logging integrations-client, VC/CAP = control-center vision client and capabilities, CC = its
 * integrations client, MCP = the MCP server.
 */
describe('the platform callers’ wire', () => {
  let identity: FakeIdentity;
  let openai: FakeUpstream;
  let catalog: FakeCatalog;
  let gateway: TestApp;
  const orgId = 'org-platform';
  let userId: string;
  let token: string;
  let operatorToken: string;
  let keylessToken: string;

  beforeAll(async () => {
    identity = await FakeIdentity.start();
    openai = await FakeUpstream.start();
    catalog = await FakeCatalog.start();
    gateway = await startTestApp({
      AUTH_MODE: 'introspection',
      JWT_SECRET: undefined,
      IDENTITY_SERVICE_URL: identity.url,
      CREDENTIAL_SOURCES: 'identity',
      OPENAI_BASE_URL: openai.url,
      CATALOG_SERVICE_URL: catalog.url,
      CATALOG_REFRESH_MS: '3600000',
    });
    await gateway.app.get(ModelCatalog).refresh();
    userId = uniqueId('user');
    token = identity.userToken(uniqueId('tok'), userId, [orgId]);
    identity.setUserKey(userId, 'openai', 'sk-proj-platformCaller0123456789');
    operatorToken = identity.userToken(uniqueId('tok'), uniqueId('operator'), [orgId], ['operator']);
    keylessToken = identity.userToken(uniqueId('tok'), uniqueId('keyless'), [orgId]);
  });

  afterAll(async () => {
    await gateway.close();
    await catalog.stop();
    await openai.stop();
    await identity.stop();
  });

  const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

  describe('POST /api/integrations/execute', () => {
    it('AI invokeLLM: success + data with content, model, usage, finishReason; X-Org-Id honoured', async () => {
      openai.reply(openAiChatCompletion({ content: 'Hi there' }));
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set({ ...bearer(token), 'X-Org-Id': orgId, 'Content-Type': 'application/json' })
        .send({
          provider: 'openai',
          operation: 'chat.completions',
          params: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], maxTokens: 1024 },
        })
        .expect(200);

      expect(response.body).toMatchObject({ success: true, requestId: expect.any(String), durationMs: expect.any(Number) });
      const { data } = response.body;
      expect(data).toMatchObject({ content: 'Hi there', model: 'gpt-4o-mini-2024-07-18', finishReason: 'stop' });
      expect(data.usage).toEqual({ promptTokens: 19, completionTokens: 10, totalTokens: 29 });
    });

    it('AI: errors carry `error` as a string (errorMsg.includes works); a missing key is 424, not a token failure', async () => {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(keylessToken))
        .send({
          provider: 'openai',
          operation: 'chat.completions',
          params: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
        })
        .expect(424);

      expect(typeof response.body.error).toBe('string');
      expect(response.body.error.includes('Invalid or expired token')).toBe(false);
      expect(response.body).toMatchObject({
        success: false,
        code: 'CREDENTIAL_NOT_FOUND',
        category: 'auth',
        retryable: false,
        provider: 'openai',
        operation: 'chat.completions',
        requestId: response.headers['x-request-id'],
        durationMs: expect.any(Number),
      });
    });

    it('a provider failure names the upstream’s status and its own error code, and is retryable where it should be', async () => {
      openai.reply({
        status: 429,
        headers: { 'retry-after': '2' },
        body: { error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
      });
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'x' }] } })
        .expect(429);

      expect(response.body).toMatchObject({
        success: false,
        error: expect.stringContaining('Rate limit reached'),
        code: 'PROVIDER_RATE_LIMITED',
        category: 'rate_limit',
        retryable: true,
        retryAfterMs: 2000,
        upstream: { statusCode: 429, code: 'rate_limit_exceeded' },
      });
    });

    it('AI: no token is 401 (TokenAuthError → token refresh), still with a string error', async () => {
      const response = await request(gateway.server).post('/api/integrations/execute').send({}).expect(401);
      expect(response.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED', category: 'auth', error: expect.any(String) });
    });

    it('AI invokeEmbedding: input as an array with dimensions → data.embeddings[0]', async () => {
      openai.reply(openAiEmbeddings([[0.5, 0.25]]));
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({ provider: 'openai', operation: 'embeddings', params: { model: 'text-embedding-3-small', input: ['hello'], dimensions: 2 } })
        .expect(200);

      expect(response.body.success).toBe(true);
      expect(response.body.data.embeddings[0]).toEqual([0.5, 0.25]);
      expect(openai.lastRequest().body).toMatchObject({ input: ['hello'], dimensions: 2 });
    });

    it('MR / LI: temperature and model may be absent (LI sends model undefined); X-Service-Id is ignored', async () => {
      openai.reply(openAiChatCompletion());
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set({ ...bearer(token), 'X-Service-Id': 'logging', 'X-Org-Id': orgId })
        .send(
          JSON.stringify({
            provider: 'openai',
            operation: 'chat.completions',
            params: { messages: [{ role: 'user', content: 'Summarize' }], model: undefined },
          }),
        )
        .set('Content-Type', 'application/json')
        .expect(200);

      expect(response.body).toMatchObject({ success: true, data: { content: expect.any(String), finishReason: 'stop' } });
      expect(openai.lastRequest().body).not.toHaveProperty('temperature');
    });

    it('accepts the platform params: systemPrompt, stopSequences, responseFormat "json", credentialId', async () => {
      openai.reply(openAiChatCompletion());
      await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({
          provider: 'openai',
          operation: 'chat.completions',
          credentialId: 'cred-ignored',
          params: {
            model: 'gpt-4o-mini',
            systemPrompt: 'Be brief.',
            messages: [{ role: 'user', content: 'Hi' }],
            stopSequences: ['END'],
            responseFormat: 'json',
          },
        })
        .expect(200);

      expect(openai.lastRequest().body).toMatchObject({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        stop: ['END'],
        response_format: { type: 'json_object' },
      });
    });

    it('refuses a param the provider cannot honour with a clear 400 naming it', async () => {
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }], topK: 5 } })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', category: 'validation', field: 'params.topK' });
    });

    it('VC image.description: an image part → the description in data.content; no image → 400', async () => {
      openai.reply(openAiChatCompletion({ content: 'A settings screen.' }));
      const image = [
        { type: 'text', text: 'Describe what is in this image.' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ];
      const described = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({
          provider: 'openai',
          operation: 'image.description',
          params: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: image }], maxTokens: 200 },
        })
        .expect(200);
      expect(described.body.data).toMatchObject({ content: 'A settings screen.', provider: 'openai', model: expect.any(String) });
      expect((openai.lastRequest().body as { messages: Array<{ content: unknown[] }> }).messages[0].content[1]).toEqual(image[1]);

      const before = openai.received.length;
      const refused = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({ provider: 'openai', operation: 'image.description', params: { messages: [{ role: 'user', content: 'Describe it' }] } })
        .expect(400);
      expect(refused.body).toMatchObject({
        success: false,
        code: 'VALIDATION_FAILED',
        field: 'params.messages',
        error: expect.stringContaining('image'),
      });
      expect(openai.received.length).toBe(before);
    });

    it('refuses a prompt that cannot fit the model’s context window before any upstream call', async () => {
      const before = openai.received.length;
      const response = await request(gateway.server)
        .post('/api/integrations/execute')
        .set(bearer(token))
        .send({
          provider: 'openai',
          operation: 'chat.completions',
          params: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 200_000 },
        })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'CONTEXT_LENGTH_EXCEEDED', metadata: { contextWindow: 128000 } });
      expect(openai.received.length).toBe(before);
    });
  });

  describe('routes read besides execute', () => {
    it('AI/MCP/PC: GET /health (public) → 200 {status: "ok", timestamp}', async () => {
      const response = await request(gateway.server).get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', timestamp: expect.any(String) });
    });

    it('LI/MCP/CC: GET /api/integrations/status without a token → providers with registered/configured, circuits, no secrets', async () => {
      const response = await request(gateway.server).get('/api/integrations/status').set('X-Service-Id', 'logging').expect(200);
      expect(response.body.status).toBe('healthy');
      expect(response.body.providers).toEqual([
        { name: 'openai', registered: true, credential: 'not_checked', configured: true },
        { name: 'anthropic', registered: true, credential: 'not_checked', configured: true },
        { name: 'huggingface', registered: true, credential: 'not_checked', configured: true },
      ]);
      expect(response.body.circuitBreaker.openai).toEqual({ state: 'closed', failures: 0, lastFailure: 'never' });
      expect(response.body).not.toHaveProperty('database');
      await request(gateway.server).get('/api/integrations/status/details').set(bearer(token)).expect(403);
      const details = await request(gateway.server).get('/api/integrations/status/details').set(bearer(operatorToken)).expect(200);
      expect(details.body).toMatchObject({ version: expect.any(String), database: { status: 'up' } });
    });

    it('MG/AI: GET /api/integrations/providers (public) → name, baseUrl, defaultModel, supportedOperations', async () => {
      const response = await request(gateway.server).get('/api/integrations/providers').expect(200);
      const anthropic = response.body.providers.find((provider: { name: string }) => provider.name === 'anthropic');
      // Catalog's defaultModel wins; the operations are what the adapter can run (Catalog's seed says messages only).
      expect(anthropic).toMatchObject({
        baseUrl: 'https://api.anthropic.com',
        defaultModel: 'claude-sonnet-4-20250514',
        supportedOperations: ['messages', 'chat.completions', 'image.description'],
      });
      await request(gateway.server).get('/api/integrations/providers/anthropic').expect(200);
      const missing = await request(gateway.server).get('/api/integrations/providers/nope').expect(404);
      expect(missing.body).toMatchObject({ success: false, code: 'NOT_FOUND', error: expect.stringContaining('nope') });
    });

    it('MG: GET /providers/:p/models?capability= → models[0] is the default, any-match, case-insensitive', async () => {
      openai.reply({ body: { object: 'list', data: [{ id: 'gpt-4o-mini' }, { id: 'ft:gpt-4o-mini:acme' }, { id: 'dall-e-3' }] } });
      const response = await request(gateway.server)
        .get('/api/integrations/providers/openai/models?capability=CHAT,embedding')
        .set(bearer(token))
        .expect(200);
      const ids = response.body.models.map((model: { id: string }) => model.id);
      expect(ids[0]).toBe('gpt-4o-mini');
      expect(response.body.models[0]).toMatchObject({
        capabilities: expect.arrayContaining(['chat']),
        contextWindow: 128000,
        inputPricing: 0.15,
      });
      expect(ids).toEqual(expect.arrayContaining(['text-embedding-3-small', 'gpt-5-catalog', 'ft:gpt-4o-mini:acme']));
      expect(ids).not.toContain('dall-e-3');
      const fromCatalog = response.body.models.find((model: { id: string }) => model.id === 'gpt-5-catalog');
      expect(fromCatalog).toEqual({
        id: 'gpt-5-catalog',
        name: 'A model only Catalog knows',
        contextWindow: 400000,
        maxOutputTokens: 128000,
        capabilities: ['chat', 'vision', 'json_mode'],
        inputPricing: 2,
        outputPricing: 8,
      });
      const unknown = await request(gateway.server).get('/api/integrations/providers/nope/models').set(bearer(token)).expect(200);
      expect(unknown.body).toEqual({ models: [] });
    });

    it('GET /api/integrations/models?purpose= and ?capability= (capability wins)', async () => {
      const embedding = await request(gateway.server)
        .get('/api/integrations/models?purpose=embedding')
        .set(bearer(keylessToken))
        .expect(200);
      expect(embedding.body.all.length).toBeGreaterThan(0);
      for (const model of embedding.body.all) expect(model.capabilities).toContain('embedding');
      expect(embedding.body.models.openai[0]).toMatchObject({ provider: 'openai', id: expect.stringContaining('embedding') });
      const vision = await request(gateway.server)
        .get('/api/integrations/models?purpose=embedding&capability=vision')
        .set(bearer(keylessToken))
        .expect(200);
      for (const model of vision.body.all) expect(model.capabilities).toContain('vision');
      const unknownPurpose = await request(gateway.server)
        .get('/api/integrations/models?purpose=poetry')
        .set(bearer(keylessToken))
        .expect(200);
      expect(unknownPurpose.body.all).toEqual([]);
    });

    it('AI/VC/CAP: GET /capabilities → first available is the provider with a key; never a key in the answer', async () => {
      const response = await request(gateway.server)
        .get('/api/integrations/capabilities')
        .set({ ...bearer(token), 'X-Org-Id': orgId })
        .expect(200);
      const { providers, byProvider, modelsByPurpose, defaults, fetchedAt } = response.body;
      expect(providers.map((provider: { provider: string }) => provider.provider)).toEqual(['openai', 'anthropic', 'huggingface']);
      expect(providers.find((provider: { status: string }) => provider.status === 'available').provider).toBe('openai');
      expect(byProvider.openai).toMatchObject({
        name: 'OpenAI',
        description: expect.any(String),
        baseUrl: expect.any(String),
        defaultModel: 'gpt-4o-mini',
        supportedOperations: expect.arrayContaining(['chat.completions', 'image.description']),
        access: { hasCredential: true, credentialSource: 'personal', isEnabled: true, lastUsedAt: null },
        rateLimits: { requestsPerMinute: 500, tokensPerMinute: 150000 },
        status: 'available',
      });
      expect(byProvider.anthropic).toMatchObject({
        status: 'unavailable',
        statusMessage: expect.any(String),
        access: { hasCredential: false },
      });
      expect(byProvider.openai.models[0]).toMatchObject({ id: 'gpt-4o-mini', capabilities: expect.arrayContaining(['vision']) });
      expect(modelsByPurpose.vision.some((entry: { provider: string; model: { id: string } }) => entry.model.id === 'gpt-4o-mini')).toBe(
        true,
      );
      expect(defaults).toEqual({
        chatProvider: 'openai',
        chatModel: 'gpt-4o-mini',
        embeddingProvider: 'openai',
        embeddingModel: 'text-embedding-3-small',
      });
      expect(Date.parse(fetchedAt)).not.toBeNaN();
      expect(JSON.stringify(response.body)).not.toContain('sk-proj-platformCaller');

      const none = await request(gateway.server).get('/api/integrations/capabilities').set(bearer(keylessToken)).expect(200);
      expect(none.body.providers.every((provider: { status: string }) => provider.status === 'unavailable')).toBe(true);
      expect(none.body.defaults.chatProvider).toBeNull();
    });

    it('circuit breaker: operators read and reset it; others are refused', async () => {
      await request(gateway.server).get('/api/integrations/circuit-breaker').set(bearer(token)).expect(403);
      const status = await request(gateway.server).get('/api/integrations/circuit-breaker').set(bearer(operatorToken)).expect(200);
      expect(status.body).toMatchObject({
        status: { openai: { state: 'closed', failures: 0, lastFailure: 'never' } },
        description: expect.any(String),
      });
      const one = await request(gateway.server)
        .post('/api/integrations/circuit-breaker/reset/openai')
        .set(bearer(operatorToken))
        .expect(200);
      expect(one.body).toMatchObject({
        success: true,
        message: 'Circuit breaker reset for openai',
        status: { openai: { state: 'closed' } },
      });
      const all = await request(gateway.server).post('/api/integrations/circuit-breaker/reset').set(bearer(operatorToken)).expect(200);
      expect(all.body).toMatchObject({ success: true, message: 'All circuit breakers reset' });
      await request(gateway.server).post('/api/integrations/circuit-breaker/reset/nope').set(bearer(operatorToken)).expect(404);
    });

    it('PC: GET /api/stats and MCP: GET /docs/openapi.json, both public', async () => {
      const stats = await request(gateway.server).get('/api/stats').expect(200);
      expect(stats.body).toEqual({ totalProviders: 3, configuredProviders: 3, totalIntegrations: 0 });
      const docs = await request(gateway.server).get('/docs/openapi.json').expect(200);
      expect(docs.body.paths['/api/integrations/execute']).toBeDefined();
    });

    it.each([
      ['post', '/api/integrations/invoke'],
      ['get', '/api/integrations/registry'],
      ['get', '/api/integrations/registry/telegram'],
      ['post', '/api/integrations/register'],
      ['post', '/api/integrations/parse/openapi'],
    ] as const)('%s %s (generic integrations, out of scope) → 404 in the standard shape', async (method, path) => {
      const response = await request(gateway.server)[method](path).set(bearer(token)).expect(404);
      expect(response.body).toMatchObject({
        success: false,
        code: 'NOT_FOUND',
        category: 'not_found',
        error: expect.stringContaining('not offered'),
      });
    });
  });

  describe('the Catalog service (untrusted input)', () => {
    it('skips and counts malformed or unsafe entries, applying the rest', async () => {
      const models = gateway.app.get(ModelCatalog);
      catalog.mode = 'partial';
      try {
        expect(await models.refresh()).toBe('ok');
        expect(models.stats().skippedEntries).toBe(4);
        expect(models.find('openai', 'gpt-5-catalog')).toBeDefined();
        expect(models.find('openai', 'broken-price')).toBeUndefined();
        expect(models.providerOverride('huggingface')).toBeUndefined();
        const metrics = await request(gateway.server).get('/metrics').expect(200);
        expect(metrics.text).toMatch(/gateway_catalog_skipped_entries_total 4/);
      } finally {
        catalog.mode = 'valid';
      }
    });

    it.each(['malformed', 'database-down'] as const)(
      'keeps what it knows when Catalog answers %s, and says so in a metric',
      async (mode) => {
        const models = gateway.app.get(ModelCatalog);
        catalog.mode = mode;
        try {
          expect(await models.refresh()).toBe(mode === 'malformed' ? 'malformed' : 'unavailable');
          expect(models.find('openai', 'gpt-5-catalog')).toBeDefined();
          const metrics = await request(gateway.server).get('/metrics').expect(200);
          expect(metrics.text).toMatch(
            new RegExp(`gateway_catalog_refreshes_total\\{outcome="${mode === 'malformed' ? 'malformed' : 'unavailable'}"\\} [1-9]`),
          );
          openai.reply(openAiChatCompletion());
          await request(gateway.server)
            .post('/api/integrations/execute')
            .set(bearer(token))
            .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } })
            .expect(200);
        } finally {
          catalog.mode = 'valid';
        }
      },
    );

    it('prices calls of a model Catalog publishes later from its next refresh on, after calls found no price', async () => {
      const pricing = gateway.app.get(PricingTable);
      const usage = { promptTokens: 1_000_000, completionTokens: 1_000_000 };
      expect(pricing.costOf('gpt-5-later', usage)).toBeNull();
      catalog.published.push({ provider: 'openai', modelId: 'gpt-5-later', inputPricePerMillion: 3, outputPricePerMillion: 12 });
      try {
        expect(await gateway.app.get(ModelCatalog).refresh()).toBe('ok');
        expect(pricing.costOf('gpt-5-later', usage)).toBe(15);
        expect(pricing.costOf('GPT-5-later-2026-01-01', usage)).toBe(15);
      } finally {
        catalog.published.length = 0;
        await gateway.app.get(ModelCatalog).refresh();
      }
      expect(pricing.costOf('gpt-5-later', usage)).toBeNull();
    });

    it('treats /api/resources’ 429 as "no update", never as "no models"', async () => {
      const models = gateway.app.get(ModelCatalog);
      catalog.mode = 'database-down';
      catalog.resourceReadsLeft = 0;
      try {
        expect(await models.refresh()).toBe('rate_limited');
        expect(models.models('openai').length).toBeGreaterThan(5);
      } finally {
        catalog.mode = 'valid';
        catalog.resourceReadsLeft = 60;
      }
    });
  });
});

describe('the Catalog service down at boot', () => {
  it('boots on built-in models, serves, and reads Catalog once it is back', async () => {
    const catalog = await FakeCatalog.start();
    const url = catalog.url;
    await catalog.stop();
    const gateway = await startTestApp({ CATALOG_SERVICE_URL: url, CATALOG_REFRESH_MS: '3600000' });
    try {
      const models = gateway.app.get(ModelCatalog);
      expect(await models.refresh()).toBe('unavailable');
      expect(models.find('openai', 'gpt-4o-mini')?.contextWindow).toBe(128000);
      await request(gateway.server).get('/health').expect(200);
      expect(models.stats()).toMatchObject({ enabled: true, source: null, lastOutcome: 'unavailable' });
    } finally {
      await gateway.close();
    }
  });
});
