import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PricingTable } from '@app/limits';
import { ProviderRegistry } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import type { EstimateResponseDto } from './spend.dto.js';

/** Predicts a call's cost before it is made: prompt tokens from the text, completion up to maxTokens. */
@Injectable()
export class CostEstimator {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly pricing: PricingTable,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  estimate(request: ExecuteRequest): EstimateResponseDto {
    const adapter = this.registry.get(request.provider);
    const call = adapter.validate(request.operation, request.params);
    const params = call.params as Record<string, unknown>;
    const promptTokens = estimateTokens(params);
    const maxCompletionTokens =
      call.operation === 'embeddings'
        ? 0
        : typeof params.maxTokens === 'number'
          ? params.maxTokens
          : adapter.name === 'anthropic'
            ? this.config.providers.anthropic.defaultMaxTokens
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

/** About four characters a token, plus a few tokens of framing per chat message. */
function estimateTokens(params: Record<string, unknown>): number {
  const texts: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach((part) => collect((part as { text?: unknown })?.text ?? part));
  };
  collect(params.system);
  collect(params.prompt);
  collect(params.input);
  const messages = Array.isArray(params.messages) ? (params.messages as Array<{ content?: unknown }>) : [];
  for (const message of messages) collect(message.content);
  const characters = texts.reduce((sum, text) => sum + text.length, 0);
  return Math.ceil(characters / 4) + messages.length * 4;
}
