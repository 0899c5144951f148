import { GatewayError } from '@app/common';
import { normalizeFinishReason, normalizeUsage } from '@app/normalization';
import type { EmbeddingParams } from '../params/embedding.params.js';
import type { TextGenerationParams } from './text-generation.params.js';
import type { AdapterResult } from '../provider-adapter.js';

/**
 * HuggingFace's serverless Inference API: text-generation and feature-extraction. It reports no
 * prompt token counts, so those are estimated (about four characters a token) and flagged in
 * `metadata.usageEstimated`.
 */
export function toTextGenerationBody(params: TextGenerationParams): Record<string, unknown> {
  const parameters: Record<string, unknown> = { return_full_text: false, details: true };
  if (params.maxTokens !== undefined) parameters.max_new_tokens = params.maxTokens;
  if (params.temperature !== undefined) parameters.temperature = params.temperature;
  if (params.topP !== undefined) parameters.top_p = params.topP;
  if (params.stop !== undefined) parameters.stop = Array.isArray(params.stop) ? params.stop : [params.stop];
  if (params.seed !== undefined) parameters.seed = params.seed;
  return { inputs: params.prompt, parameters };
}

export function fromTextGeneration(provider: string, model: string, params: TextGenerationParams, replyBody: unknown): AdapterResult {
  const first = (Array.isArray(replyBody) ? replyBody[0] : replyBody) as Record<string, unknown> | undefined;
  if (!first || typeof first.generated_text !== 'string') {
    throw new GatewayError('PROVIDER_INVALID_RESPONSE', `${provider} returned text-generation output without generated_text`, { provider });
  }
  const details = (first.details ?? {}) as Record<string, unknown>;
  const completionTokens = typeof details.generated_tokens === 'number' ? details.generated_tokens : estimateTokens(first.generated_text);
  const promptTokens =
    Array.isArray(details.prefill) && details.prefill.length > 0 ? details.prefill.length : estimateTokens(params.prompt);
  return {
    provider,
    model,
    content: first.generated_text,
    usage: normalizeUsage(promptTokens, completionTokens),
    finishReason: normalizeFinishReason(details.finish_reason),
    metadata: { usageEstimated: !Array.isArray(details.prefill) || details.prefill.length === 0 },
  };
}

export function toFeatureExtractionBody(params: EmbeddingParams): Record<string, unknown> {
  return { inputs: params.input };
}

export function fromFeatureExtraction(provider: string, model: string, params: EmbeddingParams, replyBody: unknown): AdapterResult {
  const inputs = Array.isArray(params.input) ? params.input : [params.input];
  const embeddings = toVectors(replyBody, inputs.length);
  if (!embeddings) {
    throw new GatewayError('PROVIDER_INVALID_RESPONSE', `${provider} returned feature-extraction output that is not one vector per input`, {
      provider,
    });
  }
  const promptTokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  return {
    provider,
    model,
    content: null,
    usage: normalizeUsage(promptTokens, 0),
    finishReason: 'stop',
    embeddings,
    metadata: { dimensions: embeddings[0]?.length ?? 0, usageEstimated: true },
  };
}

/**
 * Sentence-embedding models answer one vector per input (`number[]` for a single string); token-level
 * models answer a matrix per input, which is mean-pooled into one vector.
 */
function toVectors(data: unknown, inputCount: number): number[][] | undefined {
  if (isVector(data)) return inputCount === 1 ? [data] : undefined;
  if (!Array.isArray(data)) return undefined;
  if (inputCount === 1 && data.every(isVector) && data.length > 1 && !Array.isArray(data[0]?.[0])) {
    // One string, several vectors: token embeddings of that string.
    return [meanPool(data)];
  }
  if (data.length !== inputCount) return undefined;
  const vectors: number[][] = [];
  for (const item of data) {
    if (isVector(item)) vectors.push(item);
    else if (Array.isArray(item) && item.every(isVector)) vectors.push(meanPool(item));
    else return undefined;
  }
  return vectors;
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number');
}

function meanPool(rows: number[][]): number[] {
  const sums = new Array<number>(rows[0].length).fill(0);
  for (const row of rows) row.forEach((value, index) => (sums[index] += value));
  return sums.map((sum) => sum / rows.length);
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
