import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { providersConfig, type ProvidersConfig } from '../providers.config.js';
import type { FallbackRule } from './fallback-chains.js';
import type { PreparedCall, ProviderAdapter } from '../provider-adapter.js';
import { ProviderRegistry } from '../provider.registry.js';

export interface FallbackStep {
  adapter: ProviderAdapter;
  call: PreparedCall;
}

/**
 * Which providers to try when one fails, per FALLBACK_CHAINS. A target that cannot serve the same
 * operation and params (after model mapping) is skipped rather than called with something else.
 */
@Injectable()
export class FallbackPlanner {
  private readonly rules: FallbackRule[];

  constructor(
    private readonly registry: ProviderRegistry,
    @Inject(providersConfig.token) config: ProvidersConfig,
  ) {
    this.rules = config.fallbacks;
  }

  /** The providers to try, in order, after `provider` failed with `error`; empty when none applies. */
  plan(provider: string, error: unknown, operation: string, params: Record<string, unknown>): FallbackStep[] {
    if (!(error instanceof GatewayError)) return [];
    const rule = this.rules.find((candidate) => candidate.from === provider && candidate.on.includes(error.code));
    if (!rule) return [];
    return rule.to.flatMap((target) => {
      const adapter = this.registry.get(target);
      try {
        return [{ adapter, call: adapter.validate(operation, mapModel(params, rule)) }];
      } catch {
        return [];
      }
    });
  }
}

function mapModel(params: Record<string, unknown>, rule: FallbackRule): Record<string, unknown> {
  if (typeof params.model !== 'string') return params;
  const { model, ...rest } = params;
  const mapped = Object.hasOwn(rule.models, model) ? rule.models[model] : undefined;
  return mapped ? { ...rest, model: mapped } : rest;
}
