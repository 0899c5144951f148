import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@app/common';
import { routeModel } from './model-route.js';

const providers = ['openai', 'anthropic', 'huggingface'];

describe('routeModel', () => {
  it('sends a provider/model name to that provider, keeping the rest of the name whole', () => {
    expect(routeModel('huggingface/meta-llama/Llama-3.1-8B', providers, 'openai')).toEqual({
      provider: 'huggingface',
      model: 'meta-llama/Llama-3.1-8B',
    });
  });

  it("sends a plain name, or one whose prefix is no provider, to the surface's own provider unchanged", () => {
    expect(routeModel('claude-3-5-haiku-latest', providers, 'anthropic')).toEqual({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
    });
    expect(routeModel('org/model', providers, 'openai')).toEqual({ provider: 'openai', model: 'org/model' });
    expect(routeModel('/gpt-4o', providers, 'openai')).toEqual({ provider: 'openai', model: '/gpt-4o' });
  });

  it('refuses a missing or non-string model as a validation error', () => {
    for (const model of [undefined, '', 42]) expect(() => routeModel(model, providers, 'openai')).toThrow(GatewayError);
  });
});
