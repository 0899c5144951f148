import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import type { ModelInfo } from '@app/catalog';
import { CircuitBreaker, IntegrationSwitch, ProviderRegistry } from '@app/providers';
import { CredentialChecks } from './credential-check.js';
import { ModelListing } from './model-listing.js';
import { ProviderProfiles, type ProviderProfile } from './provider-profiles.js';

export interface ProviderCapability {
  provider: string;
  name: string;
  description: string;
  baseUrl: string;
  defaultModel: string;
  supportedOperations: string[];
  models: ModelInfo[];
  access: { hasCredential: boolean; credentialSource: 'personal' | 'org-wide' | 'none'; isEnabled: boolean; lastUsedAt: null };
  rateLimits?: ProviderProfile['rateLimits'];
  status: 'available' | 'unavailable';
  statusMessage?: string;
}

type Purpose = 'chat' | 'embedding' | 'vision' | 'reasoning';

export interface Capabilities {
  providers: ProviderCapability[];
  byProvider: Record<string, ProviderCapability>;
  modelsByPurpose: Record<Purpose, Array<{ provider: string; model: ModelInfo }>>;
  defaults: { chatProvider: string | null; chatModel: string | null; embeddingProvider: string | null; embeddingModel: string | null };
  fetchedAt: string;
}

/** Which capabilities put a model under each purpose (the platform's grouping). */
const PURPOSES: Readonly<Record<Purpose, readonly string[]>> = {
  chat: ['chat', 'reasoning'],
  embedding: ['embedding'],
  vision: ['vision'],
  reasoning: ['reasoning'],
};

/**
 * What this caller can use, per provider, in registration order: callers take the first
 * `available` one. Available = the caller has a key (through the same credential chain as execute),
 * the gateway is enabled, and the provider's circuit is not open.
 */
@Injectable()
export class CapabilitiesService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly profiles: ProviderProfiles,
    private readonly listing: ModelListing,
    private readonly credentials: CredentialChecks,
    private readonly circuit: CircuitBreaker,
    private readonly integration: IntegrationSwitch,
  ) {}

  async forCaller(caller: Caller, now: Date): Promise<Capabilities> {
    const providers = await Promise.all(this.profiles.list().map((profile) => this.capability(caller, profile)));
    const modelsByPurpose: Capabilities['modelsByPurpose'] = { chat: [], embedding: [], vision: [], reasoning: [] };
    for (const capability of providers) {
      for (const model of capability.models) {
        for (const purpose of Object.keys(PURPOSES) as Purpose[]) {
          if (PURPOSES[purpose].some((wanted) => model.capabilities.includes(wanted))) {
            modelsByPurpose[purpose].push({ provider: capability.provider, model });
          }
        }
      }
    }
    const available = providers.filter((capability) => capability.status === 'available');
    const chat = available.find((capability) => capability.supportedOperations.includes('chat.completions'));
    const embedding = available.find((capability) => capability.supportedOperations.includes('embeddings'));
    return {
      providers,
      byProvider: Object.fromEntries(providers.map((capability) => [capability.provider, capability])),
      modelsByPurpose,
      defaults: {
        chatProvider: chat?.provider ?? null,
        chatModel: chat?.defaultModel ?? null,
        embeddingProvider: embedding?.provider ?? null,
        embeddingModel: embedding ? (embedding.models.find((model) => model.capabilities.includes('embedding'))?.id ?? null) : null,
      },
      fetchedAt: now.toISOString(),
    };
  }

  private async capability(caller: Caller, profile: ProviderProfile): Promise<ProviderCapability> {
    const adapter = this.registry.get(profile.name);
    const check = await this.credentials.check(caller, adapter);
    const models = await this.listing.models(profile.name, [], check.apiKey);
    const blocked = this.whyUnavailable(profile.name, check);
    return {
      provider: profile.name,
      name: profile.displayName,
      description: profile.description,
      baseUrl: profile.baseUrl,
      defaultModel: profile.defaultModel,
      supportedOperations: profile.supportedOperations,
      models,
      access: {
        hasCredential: check.hasCredential,
        credentialSource: check.credentialSource,
        isEnabled: check.hasCredential,
        lastUsedAt: null,
      },
      ...(profile.rateLimits && { rateLimits: profile.rateLimits }),
      status: blocked === undefined ? 'available' : 'unavailable',
      ...(blocked !== undefined && { statusMessage: blocked }),
    };
  }

  private whyUnavailable(provider: string, check: { hasCredential: boolean; problem?: string }): string | undefined {
    if (check.problem !== undefined) return `Could not check for a ${provider} key: ${check.problem}`;
    if (!check.hasCredential) return `No ${provider} API key configured for this caller`;
    if (!this.integration.state().enabled) return 'The gateway is disabled by its control plane';
    if (this.circuit.state(provider) === 'open') return `${provider} is failing; its circuit is open`;
    return undefined;
  }
}
