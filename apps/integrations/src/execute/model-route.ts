import { GatewayError } from '@app/common';

/**
 * Where a compatible surface's `model` goes: `provider/model` (`anthropic/claude-3-5-sonnet-latest`,
 * `huggingface/meta-llama/…`, a custom provider) names a registered provider; anything else
 * (`gpt-4o-mini`, `claude-…`, `org/model` whose prefix is no provider) goes to the surface's own
 * provider unchanged. `auto` asks the gateway to choose (provider "auto": the cheapest capable one).
 */
export function routeModel(model: unknown, providers: string[], surfaceProvider: string): { provider: string; model: string } {
  if (typeof model !== 'string' || model === '') throw GatewayError.validation([{ field: 'model', message: 'is required' }]);
  if (model === 'auto') return { provider: 'auto', model };
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : '';
  return providers.includes(prefix) ? { provider: prefix, model: model.slice(slash + 1) } : { provider: surfaceProvider, model };
}
