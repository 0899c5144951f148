import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@app/common';
import type { ProvidersConfig } from '../providers.config.js';
import type { FallbackRule } from './fallback-chains.js';
import type { PreparedCall, ProviderAdapter } from '../provider-adapter.js';
import type { ProviderRegistry } from '../provider.registry.js';
import { FallbackPlanner } from './fallback-planner.js';

/** An adapter that accepts any params with a string-or-absent model, and refuses 'embeddings'. */
function adapter(name: string, defaultModel: string): ProviderAdapter {
  return {
    name,
    validate: (operation: string, params: Record<string, unknown>): PreparedCall => {
      if (operation === 'embeddings') throw new GatewayError('OPERATION_NOT_SUPPORTED', 'no');
      if (params.model !== undefined && typeof params.model !== 'string')
        throw GatewayError.validation([{ field: 'params.model', message: 'must be a string' }]);
      return { operation, model: params.model ?? defaultModel, params };
    },
  } as unknown as ProviderAdapter;
}

function planner(rules: FallbackRule[]): FallbackPlanner {
  const adapters = new Map([
    ['anthropic', adapter('anthropic', 'claude-default')],
    ['groq', adapter('groq', 'llama-default')],
  ]);
  const registry = { get: (name: string) => adapters.get(name)! } as unknown as ProviderRegistry;
  return new FallbackPlanner(registry, { custom: [], fallbacks: rules } satisfies ProvidersConfig);
}

const rule: FallbackRule = {
  from: 'openai',
  to: ['anthropic', 'groq'],
  on: ['PROVIDER_UNAVAILABLE'],
  models: { 'gpt-4o': 'claude-3-5-sonnet-latest' },
};
const down = new GatewayError('PROVIDER_UNAVAILABLE', 'down', { provider: 'openai' });

describe('FallbackPlanner', () => {
  it('names the targets in order with the rule’s model mapping, or each target’s default for an unmapped model', () => {
    const mapped = planner([rule]).plan('openai', down, 'chat.completions', { model: 'gpt-4o', messages: [] });
    const unmapped = planner([rule]).plan('openai', down, 'chat.completions', { model: 'gpt-4o-mini', messages: [] });

    expect(mapped.map((step) => [step.adapter.name, step.call.model])).toEqual([
      ['anthropic', 'claude-3-5-sonnet-latest'],
      ['groq', 'claude-3-5-sonnet-latest'],
    ]);
    expect(unmapped.map((step) => [step.adapter.name, step.call.model])).toEqual([
      ['anthropic', 'claude-default'],
      ['groq', 'llama-default'],
    ]);
  });

  it('plans nothing for a code the rule does not list, another provider, or an error that is not ours', () => {
    const subject = planner([rule]);
    expect(subject.plan('openai', new GatewayError('PROVIDER_BAD_REQUEST', 'no'), 'chat.completions', {})).toEqual([]);
    expect(subject.plan('anthropic', down, 'chat.completions', {})).toEqual([]);
    expect(subject.plan('openai', new Error('bug'), 'chat.completions', {})).toEqual([]);
  });

  it('skips a target that cannot serve the operation instead of calling it with something else', () => {
    expect(planner([rule]).plan('openai', down, 'embeddings', { input: 'x' })).toEqual([]);
  });

  it('does not mistake a model named like an Object method for a mapping', () => {
    const steps = planner([rule]).plan('openai', down, 'chat.completions', { model: 'constructor' });
    expect(steps.map((step) => step.call.model)).toEqual(['claude-default', 'llama-default']);
  });
});
