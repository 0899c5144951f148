import { isPlainObject } from '@app/common';
import type { ModelInfo } from './model-info.js';

/** What a Catalog `integrations/ai/<provider>/config` resource may change about a provider. */
export interface ProviderOverride {
  /** Reported only: calls keep going to the configured base URL (see the README). */
  baseUrl?: string;
  defaultModel?: string;
  supportedOperations?: string[];
  rateLimits?: { requestsPerMinute?: number; tokensPerMinute?: number };
}

export interface SkippedEntry {
  key: string;
  reason: string;
}

/** The AI resources of one Catalog answer, checked: what to apply and what was refused. */
export interface CatalogSnapshot {
  providers: Record<string, ProviderOverride>;
  models: Record<string, ModelInfo[]>;
  skipped: SkippedEntry[];
}

const CONFIG_KEY = /^integrations\/ai\/([a-z0-9][a-z0-9-]{0,63})\/config$/;
const MODEL_KEY = /^integrations\/ai\/([a-z0-9][a-z0-9-]{0,63})\/models\/(.{1,256})$/;
const MAX_RESOURCES = 10_000;
const MAX_CAPABILITIES = 32;

/**
 * Reads Catalog's answer (a bare array of resources from /api/bootstrap, or `{resources}`): only
 * `integrations/ai/…` keys count (Catalog ignores `prefix`, so everything else is filtered here);
 * each entry is checked as the untrusted input it is, and a bad one is skipped with its reason.
 * Model metadata comes in Catalog's words (`modelId`, `displayName`, `…PricePerMillion`) or ours.
 * Returns undefined when the answer is not a list of resources at all.
 */
export function readCatalogResources(answer: unknown): CatalogSnapshot | undefined {
  const resources = Array.isArray(answer)
    ? answer
    : isPlainObject(answer) && Array.isArray(answer.resources)
      ? answer.resources
      : undefined;
  if (!resources) return undefined;
  const snapshot: CatalogSnapshot = { providers: {}, models: {}, skipped: [] };
  for (const resource of resources.slice(0, MAX_RESOURCES)) {
    if (!isPlainObject(resource) || typeof resource.key !== 'string') continue;
    const key = resource.key;
    const config = CONFIG_KEY.exec(key);
    const model = config ? null : MODEL_KEY.exec(key);
    if (!config && !model) continue;
    const metadata = resource.metadata;
    if (!isPlainObject(metadata)) {
      snapshot.skipped.push({ key, reason: 'metadata is not an object' });
      continue;
    }
    const read = config ? readProviderOverride(metadata) : readModel(metadata, model![2], resource.description);
    if (typeof read === 'string') {
      snapshot.skipped.push({ key, reason: read });
      continue;
    }
    if (config) snapshot.providers[config[1]] = read as ProviderOverride;
    else (snapshot.models[model![1]] ??= []).push(read as ModelInfo);
  }
  return snapshot;
}

/** The override, or why it was refused. */
function readProviderOverride(metadata: Record<string, unknown>): ProviderOverride | string {
  const override: ProviderOverride = {};
  if (metadata.baseUrl !== undefined) {
    if (!isHttpUrl(metadata.baseUrl)) return 'baseUrl is not an http(s) URL';
    override.baseUrl = metadata.baseUrl.replace(/\/+$/, '');
  }
  if (metadata.defaultModel !== undefined) {
    if (!isName(metadata.defaultModel)) return 'defaultModel is not a model id';
    override.defaultModel = metadata.defaultModel;
  }
  if (metadata.supportedOperations !== undefined) {
    if (!isNameList(metadata.supportedOperations)) return 'supportedOperations is not a list of names';
    override.supportedOperations = metadata.supportedOperations;
  }
  if (metadata.rateLimits !== undefined) {
    const limits = metadata.rateLimits;
    if (!isPlainObject(limits) || !optionalCount(limits.requestsPerMinute) || !optionalCount(limits.tokensPerMinute)) {
      return 'rateLimits needs non-negative integer requestsPerMinute and tokensPerMinute';
    }
    override.rateLimits = {
      ...(limits.requestsPerMinute !== undefined && { requestsPerMinute: limits.requestsPerMinute as number }),
      ...(limits.tokensPerMinute !== undefined && { tokensPerMinute: limits.tokensPerMinute as number }),
    };
  }
  return override;
}

/** The model, or why it was refused. */
function readModel(metadata: Record<string, unknown>, keyId: string, description: unknown): ModelInfo | string {
  const id = metadata.modelId ?? metadata.id ?? keyId;
  if (!isName(id)) return 'modelId is not a model id';
  const name = metadata.displayName ?? metadata.name ?? id;
  if (typeof name !== 'string' || name.length === 0 || name.length > 256) return 'displayName is not a name';
  const numbers = {
    contextWindow: metadata.contextWindow,
    maxOutputTokens: metadata.maxOutputTokens,
    inputPricing: metadata.inputPricePerMillion ?? metadata.inputPricing,
    outputPricing: metadata.outputPricePerMillion ?? metadata.outputPricing,
  };
  for (const field of ['contextWindow', 'maxOutputTokens'] as const) {
    const value = numbers[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) return `${field} is not a positive integer`;
  }
  for (const field of ['inputPricing', 'outputPricing'] as const) {
    const value = numbers[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return `${field} is not a price`;
  }
  const capabilities = metadata.capabilities ?? [];
  const operations = metadata.supportedOperations ?? [];
  if (!isNameList(capabilities) || capabilities.length > MAX_CAPABILITIES) return 'capabilities is not a list of names';
  if (!isNameList(operations)) return 'supportedOperations is not a list of names';
  if (metadata.deprecated !== undefined && typeof metadata.deprecated !== 'boolean') return 'deprecated is not a boolean';
  const text = metadata.description ?? description;
  return {
    id,
    name,
    ...(typeof text === 'string' && text.length <= 4096 && { description: text }),
    ...(numbers.contextWindow !== undefined && { contextWindow: numbers.contextWindow as number }),
    ...(numbers.maxOutputTokens !== undefined && { maxOutputTokens: numbers.maxOutputTokens as number }),
    capabilities: capabilitiesOf(capabilities, operations),
    ...(numbers.inputPricing !== undefined && { inputPricing: numbers.inputPricing as number }),
    ...(numbers.outputPricing !== undefined && { outputPricing: numbers.outputPricing as number }),
    ...(metadata.deprecated === true && { deprecated: true }),
  };
}

/** Catalog's capability words, plus chat/embedding derived from the operations (Catalog lists no such word). */
function capabilitiesOf(capabilities: string[], operations: string[]): string[] {
  const out = new Set<string>();
  if (operations.some((operation) => CHAT_OPERATIONS.has(operation))) out.add('chat');
  if (operations.includes('embeddings')) out.add('embedding');
  for (const capability of capabilities) {
    out.add(capability);
    if (capability === 'tool_use') out.add('function_calling');
    if (capability === 'extended_thinking' || capability === 'adaptive_thinking') out.add('reasoning');
  }
  // A model that says nothing about operations or capabilities is assumed to chat.
  if (!out.has('embedding') && !out.has('chat') && !out.has('completion')) out.add('chat');
  return [...out];
}

const CHAT_OPERATIONS = new Set(['chat.completions', 'messages', 'responses', 'text.generation', 'completions']);

function isName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/.test(value);
}

function isNameList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length <= 64 && value.every((item) => typeof item === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(item))
  );
}

function optionalCount(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
