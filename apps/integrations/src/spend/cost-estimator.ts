import { Inject, Injectable } from '@nestjs/common';
import { PricingTable } from '@app/limits';
import { anthropicConfig, ProviderRegistry, type AnthropicProviderConfig } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import type { EstimateResponseDto } from './spend.dto.js';
import { estimatePromptTokens } from '@app/normalization';

/** Predicts a call's cost before it is made: prompt tokens from the text, completion up to maxTokens. */
@Injectable()
export class CostEstimator {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly pricing: PricingTable,
    @Inject(anthropicConfig.token) private readonly anthropic: AnthropicProviderConfig,
  ) {}

  estimate(request: ExecuteRequest): EstimateResponseDto {
    const adapter = this.registry.get(request.provider);
    const call = adapter.validate(request.operation, request.params);
    const params = call.params as Record<string, unknown>;
    const promptTokens = estimatePromptTokens(params);
    const maxCompletionTokens =
      call.operation === 'embeddings'
        ? 0
        : typeof params.maxTokens === 'number'
          ? params.maxTokens
          : adapter.name === 'anthropic'
            ? this.anthropic.defaultMaxTokens
            : null;
    const price = this.pricing.priceOf(call.model);
    return {
      provider: adapter.name,
      model: call.model,
      promptTokens,
      maxCompletionTokens,
      priced: price !== undefined,
      minCostUsd: price ? this.pricing.costOf(call.model, { promptTokens, completionTokens: 0 }) : null,
      maxCostUsd:
        price && maxCompletionTokens !== null
          ? this.pricing.costOf(call.model, { promptTokens, completionTokens: maxCompletionTokens })
          : null,
    };
  }
}
