/** What the gateway knows about one model: the shape callers read from /models and /capabilities. */
export interface ModelInfo {
  id: string;
  name: string;
  description?: string;
  /** Tokens of prompt plus answer the model takes. */
  contextWindow?: number;
  maxOutputTokens?: number;
  /** chat, completion, embedding, vision, function_calling, reasoning (and Catalog's own words, e.g. json_mode). */
  capabilities: string[];
  /** USD per 1M prompt tokens; absent = unpriced (not free). */
  inputPricing?: number;
  /** USD per 1M completion tokens; absent = unpriced (not free). */
  outputPricing?: number;
  deprecated?: boolean;
}

/** A caller's purpose and the capabilities that serve it (the platform's mapping). */
export const PURPOSE_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  chat: ['chat', 'reasoning'],
  llm: ['chat', 'reasoning'],
  embedding: ['embedding'],
  embeddings: ['embedding'],
  vision: ['vision'],
};

/** Models having any of `capabilities` (case-insensitive); all of them when none are asked for. */
export function withAnyCapability<T extends Pick<ModelInfo, 'capabilities'>>(models: readonly T[], capabilities: readonly string[]): T[] {
  if (capabilities.length === 0) return [...models];
  const wanted = new Set(capabilities.map((capability) => capability.toLowerCase()));
  return models.filter((model) => model.capabilities.some((capability) => wanted.has(capability.toLowerCase())));
}
