import { Inject, Injectable } from '@nestjs/common';
import { catalogConfig, ModelCatalog, withAnyCapability, type CatalogConfig, type ModelInfo } from '@app/catalog';
import { CLOCK, SingleFlight, TtlCache, sha256Hex, type Clock } from '@app/common';
import { ProviderExecutor, ProviderRegistry, type ProviderAdapter } from '@app/providers';
import { ProviderProfiles } from './provider-profiles.js';

/** Listed model ids that are not text models (images, audio, moderation…): left out of live lists. */
const NOT_A_TEXT_MODEL = /dall-e|tts|whisper|moderation|image|audio|realtime|transcribe|davinci|babbage|computer-use/i;

const FAILED_LIST_TTL_MS = 60_000;

/**
 * A provider's models in the order callers rely on (`models[0]` is the provider's default): the
 * default, then the catalog's models, then, with the caller's key, the models the provider itself
 * lists for it (cached per key for LIVE_MODELS_TTL_MS).
 */
@Injectable()
export class ModelListing {
  private readonly live: TtlCache<string, string[]>;
  private readonly flights = new SingleFlight<string, string[] | undefined>();

  constructor(
    @Inject(catalogConfig.token) private readonly config: CatalogConfig,
    @Inject(CLOCK) clock: Clock,
    private readonly catalog: ModelCatalog,
    private readonly profiles: ProviderProfiles,
    private readonly registry: ProviderRegistry,
    private readonly executor: ProviderExecutor,
  ) {
    this.live = new TtlCache(1_000, clock);
  }

  /** The provider's models having any of `capabilities` (all when empty); [] for an unknown provider. */
  async models(provider: string, capabilities: readonly string[], apiKey?: string): Promise<ModelInfo[]> {
    const profile = this.profiles.find(provider);
    if (!profile) return [];
    const adapter = this.registry.get(provider);
    const known = this.knownModels(adapter);
    const liveIds = apiKey && adapter.listsModels && this.config.liveModelsTtlMs > 0 ? await this.liveIds(adapter, apiKey) : undefined;
    const listed = liveIds ? [...known, ...liveOnly(liveIds, known)] : known;
    return withAnyCapability(defaultFirst(listed, profile.defaultModel), capabilities);
  }

  /** The catalog's models, or (custom providers, which it does not know) the operations' default models. */
  private knownModels(adapter: ProviderAdapter): ModelInfo[] {
    const catalogued = this.catalog.models(adapter.name);
    if (catalogued.length > 0) return catalogued;
    const byId = new Map<string, ModelInfo>();
    for (const operation of adapter.operations) {
      const capability = operation.name === 'embeddings' ? 'embedding' : operation.name === 'image.description' ? 'vision' : 'chat';
      const model = byId.get(operation.defaultModel) ?? { id: operation.defaultModel, name: operation.defaultModel, capabilities: [] };
      if (!model.capabilities.includes(capability)) model.capabilities.push(capability);
      byId.set(model.id, model);
    }
    return [...byId.values()];
  }

  private async liveIds(adapter: ProviderAdapter, apiKey: string): Promise<string[] | undefined> {
    const key = `${adapter.name}:${sha256Hex(apiKey)}`;
    const cached = this.live.get(key);
    if (cached) return cached;
    return this.flights.run(key, async () => {
      const ids = await this.executor.listModelIds(adapter, apiKey);
      // A provider that did not list is asked again after a minute, not on every request.
      const ttlMs = this.config.liveModelsTtlMs;
      this.live.set(key, ids ?? [], ids ? ttlMs : Math.min(ttlMs, FAILED_LIST_TTL_MS));
      return ids;
    });
  }
}

function liveOnly(ids: string[], known: ModelInfo[]): ModelInfo[] {
  const knownIds = new Set(known.map((model) => model.id));
  return ids
    .filter((id) => !knownIds.has(id) && !NOT_A_TEXT_MODEL.test(id))
    .map((id) => ({ id, name: id, capabilities: [/embed/i.test(id) ? 'embedding' : 'chat'] }));
}

/** `models[0]` is the default, as callers read it (a default the catalog does not know still comes first). */
function defaultFirst(models: ModelInfo[], defaultModel: string): ModelInfo[] {
  const index = models.findIndex((model) => model.id === defaultModel);
  if (index === 0) return models;
  if (index > 0) return [models[index], ...models.slice(0, index), ...models.slice(index + 1)];
  return defaultModel ? [{ id: defaultModel, name: defaultModel, capabilities: ['chat'] }, ...models] : models;
}
