import { Injectable } from '@nestjs/common';
import { ModelCatalog } from '@app/catalog';
import { ProviderRegistry, type ProviderAdapter } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';

/** A provider as the platform's callers see it (the Symbia provider config). */
export interface ProviderProfile {
  name: string;
  displayName: string;
  description: string;
  baseUrl: string;
  defaultModel: string;
  supportedOperations: string[];
  rateLimits?: { requestsPerMinute?: number; tokensPerMinute?: number };
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openai: 'GPT chat models, embeddings and the Responses API',
  anthropic: 'Claude models through the Messages API',
  huggingface: 'Open models through HuggingFace Inference Providers',
};

/** Operations whose default model is the provider's chat default (and so Catalog's `defaultModel`). */
const NOT_CHAT_DEFAULTED = new Set(['embeddings', 'image.description']);

/**
 * Providers as registered, with what the Catalog service says layered on: its `defaultModel`
 * becomes the default for chat operations, its `rateLimits` are reported. Its `baseUrl` and
 * `supportedOperations` are not applied: keys go only to configured base URLs, and the operations are
 * what the adapter can run (Catalog's seed lists Anthropic with `messages` only while callers use
 * `chat.completions`).
 */
@Injectable()
export class ProviderProfiles {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly catalog: ModelCatalog,
  ) {}

  list(): ProviderProfile[] {
    return this.registry.list().map((adapter) => this.profileOf(adapter));
  }

  find(name: string): ProviderProfile | undefined {
    return this.registry.names().includes(name) ? this.profileOf(this.registry.get(name)) : undefined;
  }

  /** A call naming no model gets the default the Catalog service chose for the provider, if it chose one. */
  withCatalogDefaultModel(request: ExecuteRequest): ExecuteRequest {
    if (request.params.model !== undefined || NOT_CHAT_DEFAULTED.has(request.operation)) return request;
    const model = this.catalog.providerOverride(request.provider)?.defaultModel;
    return model === undefined ? request : { ...request, params: { ...request.params, model } };
  }

  private profileOf(adapter: ProviderAdapter): ProviderProfile {
    const override = this.catalog.providerOverride(adapter.name);
    return {
      name: adapter.name,
      displayName: adapter.displayName,
      description: DESCRIPTIONS[adapter.name] ?? `${adapter.displayName} (OpenAI-compatible endpoint)`,
      baseUrl: adapter.baseUrl,
      defaultModel: override?.defaultModel ?? adapter.operations[0]?.defaultModel ?? '',
      supportedOperations: adapter.operations.map((operation) => operation.name),
      ...(override?.rateLimits && { rateLimits: override.rateLimits }),
    };
  }
}
