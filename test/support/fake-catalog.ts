import type { Server } from 'node:http';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl, sendJson } from './loopback-server.js';

/** What the fake answers, modelled on the real Catalog (Symbia catalog/server, as observed running). */
export type CatalogMode =
  /** 200, a bare array of published bootstrap resources (AI configs and models among others). */
  | 'valid'
  /** As valid, plus AI entries that are malformed or unsafe. */
  | 'partial'
  /** 200 with a body that is not a list of resources. */
  | 'malformed'
  /** Its database is down: 500 {"error":"Failed to fetch bootstrap resources"} (/health stays 200). */
  | 'database-down';

/** A Catalog resource as the real service returns it (catalog/shared/schema.ts). */
function resource(key: string, metadata: unknown, description: string | null = null): Record<string, unknown> {
  return {
    id: `res-${key}`,
    key,
    name: key.split('/').at(-1),
    description,
    type: 'integration',
    status: 'published',
    isBootstrap: true,
    tags: [],
    orgId: null,
    accessPolicy: { visibility: 'public' },
    metadata,
    currentVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The stack's own seed, in its own words (modelId, displayName, …PricePerMillion; no id/name/pricing). */
export const SEEDED_RESOURCES = [
  resource('assistants/coordinator', { kind: 'assistant' }),
  resource('integrations/ai/openai/config', {
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    authType: 'bearer',
    endpoints: { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings' },
    rateLimits: { requestsPerMinute: 500, tokensPerMinute: 150000 },
    defaultModel: 'gpt-4o-mini',
    supportedOperations: ['chat.completions', 'embeddings'],
  }),
  resource('integrations/ai/anthropic/config', {
    provider: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    authType: 'header',
    authHeader: 'x-api-key',
    defaultModel: 'claude-sonnet-4-20250514',
    supportedOperations: ['messages'],
    rateLimits: { requestsPerMinute: 50, tokensPerMinute: 40000 },
  }),
  resource('integrations/ai/openai/models/o3-mini', {
    provider: 'openai',
    modelId: 'o3-mini',
    displayName: 'o3-mini (Catalog)',
    contextWindow: 200000,
    maxOutputTokens: 100000,
    inputPricePerMillion: 1.1,
    outputPricePerMillion: 4.4,
    supportedOperations: ['chat.completions'],
    capabilities: ['reasoning', 'function_calling'],
  }),
  resource('integrations/ai/openai/models/gpt-5-catalog', {
    provider: 'openai',
    modelId: 'gpt-5-catalog',
    displayName: 'A model only Catalog knows',
    contextWindow: 400000,
    maxOutputTokens: 128000,
    inputPricePerMillion: 2,
    outputPricePerMillion: 8,
    supportedOperations: ['chat.completions'],
    capabilities: ['vision', 'json_mode'],
  }),
  resource('integrations/ai/openai/models/text-embedding-3-large', {
    provider: 'openai',
    modelId: 'text-embedding-3-large',
    displayName: 'Embedding 3 Large',
    dimensions: 3072,
    maxInputTokens: 8191,
    inputPricePerMillion: 0.13,
    supportedOperations: ['embeddings'],
  }),
  resource('integrations/ai/huggingface/models/deepseek-ai/DeepSeek-R1', {
    provider: 'huggingface',
    modelId: 'deepseek-ai/DeepSeek-R1',
    displayName: 'DeepSeek R1',
    contextWindow: 128000,
    supportedOperations: ['chat.completions'],
    capabilities: ['reasoning', 'open_source'],
  }),
  resource('telegram', { integrationType: 'openapi', authType: 'path' }),
];

const BAD_RESOURCES = [
  resource('integrations/ai/openai/models/broken-price', { modelId: 'broken-price', inputPricePerMillion: 'cheap' }),
  resource('integrations/ai/openai/models/negative-window', { modelId: 'negative-window', contextWindow: -5 }),
  resource('integrations/ai/anthropic/models/no-metadata', null),
  resource('integrations/ai/huggingface/config', { baseUrl: 'file:///etc/passwd' }),
];

/**
 * The platform's Catalog service on 127.0.0.1, with its quirks: /api/bootstrap needs no token and
 * answers a bare array; /api/resources ignores `prefix` (every row comes back) and allows 60 reads a
 * minute before 429; unknown routes answer 404 text/html.
 */
export class FakeCatalog {
  mode: CatalogMode = 'valid';
  /** Reads of /api/resources left before it answers 429. */
  resourceReadsLeft = 60;
  /** Models published after the seed (as a Catalog admin would), as `{provider, modelId, …}` metadata. */
  readonly published: Array<Record<string, unknown>> = [];
  readonly requests: string[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createBufferingServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      this.requests.push(req.url ?? '');
      if (path === '/api/bootstrap' && req.method === 'GET') return this.bootstrap(res);
      if (path === '/api/resources' && req.method === 'GET') {
        if (this.resourceReadsLeft-- <= 0) return sendJson(res, 429, { error: 'Too many search requests, please try again later' });
        return this.bootstrap(res);
      }
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><body><pre>Cannot ${req.method} ${path}</pre></body></html>`);
    });
  }

  static async start(): Promise<FakeCatalog> {
    const catalog = new FakeCatalog();
    await listenOnLoopback(catalog.server);
    return catalog;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private bootstrap(res: Parameters<typeof sendJson>[0]): void {
    if (this.mode === 'database-down') return sendJson(res, 500, { error: 'Failed to fetch bootstrap resources' });
    if (this.mode === 'malformed') return sendJson(res, 200, { resources: 'not a list' });
    const published = this.published.map((model) =>
      resource(`integrations/ai/${String(model.provider)}/models/${String(model.modelId)}`, model),
    );
    sendJson(res, 200, [...SEEDED_RESOURCES, ...published, ...(this.mode === 'partial' ? BAD_RESOURCES : [])]);
  }
}
