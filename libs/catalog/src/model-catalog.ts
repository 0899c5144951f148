import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, ThrottledWarning, type Clock } from '@app/common';
import { catalogConfig, type CatalogConfig } from './catalog.config.js';
import { BUILT_IN_MODELS } from './built-in-models.js';
import type { CatalogSnapshot, ProviderOverride } from './catalog-resources.js';
import { fetchCatalog, type CatalogFetch } from './catalog-service.client.js';
import type { ModelInfo } from './model-info.js';

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface CatalogStats {
  enabled: boolean;
  /** Where the overlay in use came from, or null while only built-ins are known. */
  source: 'bootstrap' | 'resources' | null;
  lastRefreshAt: string | null;
  lastOutcome: CatalogFetch['outcome'] | null;
  refreshes: Record<CatalogFetch['outcome'], number>;
  /** Catalog entries refused since boot (malformed or unsafe). */
  skippedEntries: number;
}

/** After a failed read, the next one comes sooner than the regular refresh. */
const RETRY_AFTER_FAILURE_MS = 30_000;
const WARNING_INTERVAL_MS = 10 * 60_000;

/**
 * The one source of model metadata and prices: built-in models, extended or overridden by the
 * platform's Catalog service (read at boot and every CATALOG_REFRESH_MS), prices overridden by
 * PRICING_FILE. Catalog being down or answering nonsense changes nothing: the last good overlay (or
 * the built-ins) stays, with a throttled warning, a count, and a retry.
 */
@Injectable()
export class ModelCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ModelCatalog');
  private readonly warning: ThrottledWarning;
  private readonly filePrices: Array<[string, ModelPrice]>;
  private overlay: CatalogSnapshot = { providers: {}, models: {}, skipped: [] };
  private merged = new Map<string, ModelInfo[]>();
  private priced: Array<[string, ModelInfo]> = [];
  /** Prices already looked up, by model name as asked (null: none known); emptied when prices change. */
  private readonly knownPrices = new Map<string, ModelPrice | null>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly statistics: CatalogStats;

  constructor(
    @Inject(catalogConfig.token) private readonly config: CatalogConfig,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = Date.now,
  ) {
    this.warning = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.clock);
    this.filePrices = config.pricingFile ? readPricingFile(config.pricingFile) : [];
    this.statistics = {
      enabled: this.enabled,
      source: null,
      lastRefreshAt: null,
      lastOutcome: null,
      refreshes: { ok: 0, unavailable: 0, malformed: 0, rate_limited: 0 },
      skippedEntries: 0,
    };
    this.rebuild();
  }

  private get enabled(): boolean {
    return this.config.refreshMs > 0;
  }

  onApplicationBootstrap(): void {
    // Never awaited: a slow or absent Catalog must not hold up the boot.
    if (this.enabled) void this.refreshAndSchedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The provider's models: built-ins, with Catalog's entries replacing same-id ones and added after. */
  models(provider: string): ModelInfo[] {
    return this.merged.get(provider) ?? [];
  }

  /** The model's metadata: by exact id, else a dated snapshot of a known model (gpt-4o-mini-2024-07-18). */
  find(provider: string, model: string): ModelInfo | undefined {
    const models = this.models(provider);
    return (
      models.find((known) => known.id === model) ??
      longestPrefix(
        models.map((known) => [known.id, known]),
        model,
      )
    );
  }

  providerOverride(provider: string): ProviderOverride | undefined {
    return this.overlay.providers[provider];
  }

  /** USD per 1M tokens for `model` (any provider), or undefined when it has no known price. */
  priceOf(model: string): ModelPrice | undefined {
    // Every finished call asks (its cost); a lookup scans every priced model, so answers are kept
    // until the prices change.
    let price = this.knownPrices.get(model);
    if (price === undefined) {
      price = this.lookUpPrice(model.toLowerCase()) ?? null;
      if (this.knownPrices.size >= MAX_KNOWN_PRICES) this.knownPrices.clear();
      this.knownPrices.set(model, price);
    }
    return price ?? undefined;
  }

  private lookUpPrice(model: string): ModelPrice | undefined {
    const fromFile = longestPrefix(this.filePrices, model);
    if (fromFile) return fromFile;
    const info = longestPrefix(this.priced, model);
    return info ? Object.freeze({ input: info.inputPricing ?? 0, output: info.outputPricing ?? 0 }) : undefined;
  }

  stats(): CatalogStats {
    return { ...this.statistics, refreshes: { ...this.statistics.refreshes } };
  }

  /** Reads Catalog once and applies what it says; resolves with the outcome (never rejects). */
  async refresh(): Promise<CatalogFetch['outcome']> {
    const result = await fetchCatalog(this.config.serviceUrl);
    this.statistics.refreshes[result.outcome]++;
    this.statistics.lastOutcome = result.outcome;
    this.statistics.lastRefreshAt = new Date(this.clock()).toISOString();
    if (result.outcome !== 'ok') {
      this.warning.note(
        (count) =>
          `Catalog service at ${this.config.serviceUrl} not used (${result.reason}); ${count} failed read(s); keeping the models known so far`,
      );
      return result.outcome;
    }
    const missed = this.warning.recover();
    if (missed > 0) this.logger.log(`Catalog service read again after ${missed} failed read(s)`);
    for (const entry of result.snapshot.skipped) this.logger.warn(`Catalog entry ${entry.key} skipped: ${entry.reason}`);
    this.statistics.skippedEntries += result.snapshot.skipped.length;
    this.statistics.source = result.source;
    this.overlay = result.snapshot;
    this.rebuild();
    return 'ok';
  }

  private async refreshAndSchedule(): Promise<void> {
    const outcome = await this.refresh().catch(() => 'unavailable' as const);
    if (this.stopped) return;
    const delay = outcome === 'ok' ? this.config.refreshMs : Math.min(RETRY_AFTER_FAILURE_MS, this.config.refreshMs);
    this.timer = setTimeout(() => void this.refreshAndSchedule(), delay);
    this.timer.unref();
  }

  private rebuild(): void {
    const merged = new Map<string, ModelInfo[]>();
    const providers = new Set([...Object.keys(BUILT_IN_MODELS), ...Object.keys(this.overlay.models)]);
    for (const provider of providers) {
      const byId = new Map<string, ModelInfo>();
      for (const model of BUILT_IN_MODELS[provider] ?? []) byId.set(model.id, model);
      for (const model of this.overlay.models[provider] ?? []) byId.set(model.id, { ...byId.get(model.id), ...model });
      merged.set(provider, [...byId.values()]);
    }
    this.merged = merged;
    // A price is known when the input price is: an embedding model has no output price.
    this.priced = [...merged.values()]
      .flat()
      .flatMap((model) => (model.inputPricing === undefined ? [] : [[model.id.toLowerCase(), model]]));
    this.knownPrices.clear();
  }
}

/** Model names whose prices are kept looked up; past it, they are looked up afresh. */
const MAX_KNOWN_PRICES = 1_000;

/** The value whose key is `model`, or its longest key `model` extends (`key-…`) or ends with (`…/key`). */
function longestPrefix<T>(entries: ReadonlyArray<readonly [string, T]>, model: string): T | undefined {
  let best: readonly [string, T] | undefined;
  for (const entry of entries) {
    const key = entry[0];
    const matches = model === key || model.startsWith(`${key}-`) || model.endsWith(`/${key}`);
    if (matches && (!best || key.length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** PRICING_FILE: `{"<model>": {"input": <USD per 1k>, "output": <USD per 1k>}}`, as it always was. */
function readPricingFile(path: string): Array<[string, ModelPrice]> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ModelPrice>;
  return Object.entries(parsed).map(([model, price]) => {
    if (typeof price?.input !== 'number' || typeof price?.output !== 'number' || price.input < 0 || price.output < 0) {
      throw new Error(`PRICING_FILE: ${model} needs non-negative numbers "input" and "output" (USD per 1k tokens)`);
    }
    return [model.toLowerCase(), Object.freeze({ input: price.input * 1000, output: price.output * 1000 })];
  });
}
