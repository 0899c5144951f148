import type { ModelInfo } from '@app/catalog';
import type { FieldViolation } from '@app/common';
import { OPERATION_CAPABILITY, type RouteRequirements } from './route-requirements.js';

/** A provider as routing sees it: whether this caller may use it now, and its models. */
export interface RouteProvider {
  name: string;
  operations: readonly string[];
  /** Why the caller cannot use it now (no key, circuit open…), or undefined. */
  unusable?: string;
  models: readonly ModelInfo[];
}

export interface RouteCandidate {
  provider: string;
  model: string;
  /** USD for the expected prompt and answer; null when the model is unpriced. */
  estimatedCostUsd: number | null;
}

export interface RoutePlan {
  /** Cheapest first: the first is tried, the next ones on a provider-side failure. */
  candidates: RouteCandidate[];
  /** Why each provider or model was left out, by the requirement that excluded it. */
  excluded: FieldViolation[];
}

/**
 * The candidates for `provider: "auto"`, cheapest first: models of providers the caller can use
 * (and did not exclude) that offer the operation and meet every requirement, priced for the
 * expected prompt and answer. Unpriced models come after priced ones and only when no price limit
 * was set; ties go to `preferProviders`, then to registration order.
 */
export function cheapestRoute(
  providers: readonly RouteProvider[],
  operation: string,
  requirements: RouteRequirements,
  expected: { promptTokens: number; completionTokens: number },
): RoutePlan {
  const excluded: FieldViolation[] = [];
  const candidates: Array<RouteCandidate & { rank: number }> = [];
  const wanted = [...new Set([...(requirements.capabilities ?? []), OPERATION_CAPABILITY[operation] ?? 'chat'])];
  const priceLimited = requirements.maxInputPricePer1M !== undefined || requirements.maxOutputPricePer1M !== undefined;
  providers.forEach((provider, order) => {
    if (requirements.excludeProviders?.includes(provider.name)) {
      return void excluded.push({ field: 'requirements.excludeProviders', message: `${provider.name}: excluded` });
    }
    if (!provider.operations.includes(operation)) {
      return void excluded.push({ field: 'operation', message: `${provider.name}: has no ${operation}` });
    }
    if (provider.unusable !== undefined)
      return void excluded.push({ field: 'provider', message: `${provider.name}: ${provider.unusable}` });
    const preference = requirements.preferProviders?.indexOf(provider.name) ?? -1;
    const rank = (preference === -1 ? 1000 : preference) * 1000 + order;
    for (const model of provider.models) {
      const why = exclusion(model, wanted, requirements, priceLimited);
      if (why) {
        excluded.push({ field: why.field, message: `${provider.name}/${model.id}: ${why.message}` });
        continue;
      }
      candidates.push({ provider: provider.name, model: model.id, estimatedCostUsd: costOf(model, expected), rank });
    }
  });
  candidates.sort(
    (a, b) => (a.estimatedCostUsd ?? Infinity) - (b.estimatedCostUsd ?? Infinity) || a.rank - b.rank || a.model.localeCompare(b.model),
  );
  return { candidates: candidates.map(({ rank: _rank, ...candidate }) => candidate), excluded };
}

function exclusion(
  model: ModelInfo,
  wanted: readonly string[],
  requirements: RouteRequirements,
  priceLimited: boolean,
): FieldViolation | undefined {
  if (model.deprecated) return { field: 'requirements', message: 'deprecated' };
  const missing = wanted.filter((capability) => !model.capabilities.includes(capability));
  if (missing.length > 0) return { field: 'requirements.capabilities', message: `lacks ${missing.join(', ')}` };
  const { minContextWindow, maxInputPricePer1M, maxOutputPricePer1M } = requirements;
  if (minContextWindow !== undefined && (model.contextWindow ?? 0) < minContextWindow) {
    return { field: 'requirements.minContextWindow', message: `context window ${model.contextWindow ?? 'unknown'}` };
  }
  if (priceLimited && (model.inputPricing === undefined || model.outputPricing === undefined)) {
    return {
      field: maxInputPricePer1M !== undefined ? 'requirements.maxInputPricePer1M' : 'requirements.maxOutputPricePer1M',
      message: 'unpriced',
    };
  }
  if (maxInputPricePer1M !== undefined && model.inputPricing! > maxInputPricePer1M) {
    return { field: 'requirements.maxInputPricePer1M', message: `input costs ${model.inputPricing} per 1M` };
  }
  if (maxOutputPricePer1M !== undefined && model.outputPricing! > maxOutputPricePer1M) {
    return { field: 'requirements.maxOutputPricePer1M', message: `output costs ${model.outputPricing} per 1M` };
  }
  return undefined;
}

function costOf(model: ModelInfo, expected: { promptTokens: number; completionTokens: number }): number | null {
  if (model.inputPricing === undefined) return null;
  const usd = (expected.promptTokens * model.inputPricing + expected.completionTokens * (model.outputPricing ?? 0)) / 1e6;
  return Math.round(usd * 1e8) / 1e8;
}
