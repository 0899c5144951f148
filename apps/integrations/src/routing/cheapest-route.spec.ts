import { describe, expect, it } from '@jest/globals';
import type { ModelInfo } from '@app/catalog';
import { cheapestRoute, type RouteProvider } from './cheapest-route.js';

const model = (id: string, capabilities: string[], inputPricing?: number, outputPricing?: number, contextWindow = 128_000): ModelInfo => ({
  id,
  name: id,
  capabilities,
  contextWindow,
  ...(inputPricing !== undefined && { inputPricing }),
  ...(outputPricing !== undefined && { outputPricing }),
});

const openai: RouteProvider = {
  name: 'openai',
  operations: ['chat.completions', 'embeddings'],
  models: [
    model('gpt-4o', ['chat', 'vision'], 2.5, 10),
    model('gpt-4o-mini', ['chat', 'vision'], 0.15, 0.6),
    model('text-embedding-3-small', ['embedding'], 0.02, 0),
  ],
};
const anthropic: RouteProvider = {
  name: 'anthropic',
  operations: ['chat.completions'],
  models: [model('claude-3-5-haiku', ['chat'], 0.8, 4, 200_000), model('claude-sonnet-4', ['chat', 'vision', 'reasoning'], 3, 15, 200_000)],
};
const local: RouteProvider = { name: 'local', operations: ['chat.completions'], models: [model('llama', ['chat'])] };
const expected = { promptTokens: 1000, completionTokens: 500 };

describe('cheapestRoute', () => {
  it('orders every model that meets the requirements by its cost for the expected prompt and answer', () => {
    const plan = cheapestRoute([openai, anthropic, local], 'chat.completions', {}, expected);
    expect(plan.candidates.map((candidate) => `${candidate.provider}/${candidate.model}`)).toEqual([
      'openai/gpt-4o-mini',
      'anthropic/claude-3-5-haiku',
      'openai/gpt-4o',
      'anthropic/claude-sonnet-4',
      'local/llama',
    ]);
    expect(plan.candidates[0].estimatedCostUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 10);
    expect(plan.candidates.at(-1)?.estimatedCostUsd).toBeNull();
  });

  it('needs every capability asked for, plus the operation’s own', () => {
    const plan = cheapestRoute([openai, anthropic], 'chat.completions', { capabilities: ['reasoning'] }, expected);
    expect(plan.candidates.map((candidate) => candidate.model)).toEqual(['claude-sonnet-4']);
    expect(plan.excluded).toContainEqual({ field: 'requirements.capabilities', message: 'openai/gpt-4o-mini: lacks reasoning' });
    expect(cheapestRoute([openai], 'embeddings', {}, expected).candidates.map((candidate) => candidate.model)).toEqual([
      'text-embedding-3-small',
    ]);
  });

  it('applies context window and price limits, leaving unpriced models out when prices are limited', () => {
    const plan = cheapestRoute(
      [openai, anthropic, local],
      'chat.completions',
      { minContextWindow: 150_000, maxInputPricePer1M: 1 },
      expected,
    );
    expect(plan.candidates.map((candidate) => candidate.model)).toEqual(['claude-3-5-haiku']);
    expect(plan.excluded).toEqual(
      expect.arrayContaining([
        { field: 'requirements.minContextWindow', message: 'openai/gpt-4o-mini: context window 128000' },
        { field: 'requirements.maxInputPricePer1M', message: 'anthropic/claude-sonnet-4: input costs 3 per 1M' },
      ]),
    );
  });

  it('leaves out excluded and unusable providers, saying why, and breaks ties by preference', () => {
    const twin: RouteProvider = { ...openai, name: 'azure' };
    const plan = cheapestRoute(
      [openai, twin, { ...anthropic, unusable: 'no key for this caller' }],
      'chat.completions',
      { preferProviders: ['azure'], excludeProviders: ['local'] },
      expected,
    );
    expect(plan.candidates.slice(0, 2).map((candidate) => `${candidate.provider}/${candidate.model}`)).toEqual([
      'azure/gpt-4o-mini',
      'openai/gpt-4o-mini',
    ]);
    expect(plan.excluded).toContainEqual({ field: 'provider', message: 'anthropic: no key for this caller' });
  });
});
