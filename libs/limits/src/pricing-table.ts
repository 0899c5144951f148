import { Injectable } from '@nestjs/common';
import { ModelCatalog, type ModelPrice } from '@app/catalog';
import type { NormalizedUsage } from '@app/normalization';

/**
 * Turns token usage into an estimated cost, for budgets, usage reports and estimates. Prices come
 * from the model catalog (built-in, Catalog service, PRICING_FILE), so there is one price per model.
 */
@Injectable()
export class PricingTable {
  constructor(private readonly catalog: ModelCatalog) {}

  /** USD per 1M tokens, or undefined when the model has no known price. */
  priceOf(model: string): ModelPrice | undefined {
    return this.catalog.priceOf(model);
  }

  /** USD for this usage, or null when the model has no known price. */
  costOf(model: string, usage: Pick<NormalizedUsage, 'promptTokens' | 'completionTokens'>): number | null {
    const price = this.priceOf(model);
    if (!price) return null;
    return roundUsd((usage.promptTokens / 1e6) * price.input + (usage.completionTokens / 1e6) * price.output);
  }
}

export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
