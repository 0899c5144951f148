import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { NormalizedUsage } from '@app/normalization';

/** USD per 1,000 tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices of common models (USD per 1k tokens), as the providers published them; PRICING_FILE
 * overrides or extends them. Keys match a model exactly or as a prefix (dated snapshots such as
 * gpt-4o-mini-2024-07-18 use their family's price).
 */
const BUILT_IN_PRICES: Record<string, ModelPrice> = {
  'gpt-4o-mini': { input: 0.00015, output: 0.0006 },
  'gpt-4o': { input: 0.0025, output: 0.01 },
  'gpt-4.1-mini': { input: 0.0004, output: 0.0016 },
  'gpt-4.1': { input: 0.002, output: 0.008 },
  'text-embedding-3-small': { input: 0.00002, output: 0 },
  'text-embedding-3-large': { input: 0.00013, output: 0 },
  'claude-3-5-sonnet': { input: 0.003, output: 0.015 },
  'claude-3-5-haiku': { input: 0.0008, output: 0.004 },
  'claude-3-opus': { input: 0.015, output: 0.075 },
};

/** Turns token usage into an estimated cost, for budgets, usage reports and estimates. */
@Injectable()
export class PricingTable {
  private readonly prices: Array<[string, ModelPrice]>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const fromFile = config.limits.pricingFile ? readPricingFile(config.limits.pricingFile) : {};
    // Longest key first, so the most specific prefix wins.
    this.prices = Object.entries({ ...BUILT_IN_PRICES, ...fromFile }).sort(([a], [b]) => b.length - a.length);
  }

  priceOf(model: string): ModelPrice | undefined {
    const normalized = model.toLowerCase();
    return this.prices.find(([key]) => normalized === key || normalized.startsWith(`${key}-`) || normalized.endsWith(`/${key}`))?.[1];
  }

  /** USD for this usage, or null when the model has no known price. */
  costOf(model: string, usage: Pick<NormalizedUsage, 'promptTokens' | 'completionTokens'>): number | null {
    const price = this.priceOf(model);
    if (!price) return null;
    return roundUsd((usage.promptTokens / 1000) * price.input + (usage.completionTokens / 1000) * price.output);
  }
}

export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

function readPricingFile(path: string): Record<string, ModelPrice> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ModelPrice>;
  for (const [model, price] of Object.entries(parsed)) {
    if (typeof price?.input !== 'number' || typeof price?.output !== 'number' || price.input < 0 || price.output < 0) {
      throw new Error(`PRICING_FILE: ${model} needs non-negative numbers "input" and "output" (USD per 1k tokens)`);
    }
  }
  return Object.fromEntries(Object.entries(parsed).map(([model, price]) => [model.toLowerCase(), price]));
}
