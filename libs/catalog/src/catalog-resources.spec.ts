import { describe, expect, it } from '@jest/globals';
import { readCatalogResources } from './catalog-resources.js';

const model = (key: string, metadata: unknown) => ({ key, metadata, description: null });

describe('readCatalogResources', () => {
  it('maps Catalog’s words (modelId, displayName, …PricePerMillion) and derives chat/embedding from operations', () => {
    const snapshot = readCatalogResources([
      model('integrations/ai/openai/models/o3-mini', {
        modelId: 'o3-mini',
        displayName: 'o3-mini',
        contextWindow: 200000,
        inputPricePerMillion: 1.1,
        outputPricePerMillion: 4.4,
        supportedOperations: ['chat.completions'],
        capabilities: ['reasoning', 'tool_use'],
      }),
      model('integrations/ai/openai/models/text-embedding-3-large', {
        modelId: 'text-embedding-3-large',
        supportedOperations: ['embeddings'],
      }),
    ]);
    expect(snapshot?.models.openai).toEqual([
      {
        id: 'o3-mini',
        name: 'o3-mini',
        contextWindow: 200000,
        capabilities: ['chat', 'reasoning', 'tool_use', 'function_calling'],
        inputPricing: 1.1,
        outputPricing: 4.4,
      },
      { id: 'text-embedding-3-large', name: 'text-embedding-3-large', capabilities: ['embedding'] },
    ]);
  });

  it('keeps a model without a price unpriced (no pricing fields), not free', () => {
    const snapshot = readCatalogResources([model('integrations/ai/huggingface/models/x/y', { modelId: 'x/y' })]);
    expect(snapshot?.models.huggingface[0]).not.toHaveProperty('inputPricing');
  });

  it('filters by key itself (Catalog ignores prefix) and skips bad entries with a reason', () => {
    const snapshot = readCatalogResources([
      { key: 'telegram', metadata: { integrationType: 'openapi' } },
      model('integrations/ai/openai/models/bad', { modelId: 'bad', contextWindow: 1.5 }),
      model('integrations/ai/openai/config', { baseUrl: 'javascript:alert(1)' }),
      model('integrations/ai/anthropic/config', { defaultModel: 'claude-x', rateLimits: { requestsPerMinute: 50 } }),
      'not a resource',
    ]);
    expect(snapshot?.skipped).toEqual([
      { key: 'integrations/ai/openai/models/bad', reason: 'contextWindow is not a positive integer' },
      { key: 'integrations/ai/openai/config', reason: 'baseUrl is not an http(s) URL' },
    ]);
    expect(snapshot?.providers).toEqual({ anthropic: { defaultModel: 'claude-x', rateLimits: { requestsPerMinute: 50 } } });
  });

  it('accepts {resources: […]} and refuses what is not a list', () => {
    expect(readCatalogResources({ resources: [] })).toEqual({ providers: {}, models: {}, skipped: [] });
    expect(readCatalogResources({ error: 'Failed to fetch bootstrap resources' })).toBeUndefined();
    expect(readCatalogResources('<html>')).toBeUndefined();
  });
});
