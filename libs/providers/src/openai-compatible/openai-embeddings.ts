import { GatewayError } from '@app/common';
import { normalizeUsage } from '@app/normalization';
import type { EmbeddingParams } from '../params/embedding.params.js';
import type { AdapterResult } from '../provider-adapter.js';
import { expectObject, optionalString } from '../upstream/reply-reading.js';

/** Embeddings in the OpenAI wire format (OpenAI and OpenAI-compatible servers). */
export function toOpenAiEmbeddingBody(params: EmbeddingParams, model: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model, input: params.input, encoding_format: 'float' };
  if (params.dimensions !== undefined) body.dimensions = params.dimensions;
  if (params.user !== undefined) body.user = params.user;
  return body;
}

export function fromOpenAiEmbeddings(provider: string, requestedModel: string, replyBody: unknown): AdapterResult {
  const body = expectObject(replyBody, 'embeddings');
  if (!Array.isArray(body.data)) {
    throw new GatewayError('PROVIDER_INVALID_RESPONSE', `${provider} returned embeddings without a data array`, { provider });
  }
  // The API documents `index`; order by it so vectors line up with inputs even if the upstream reorders.
  const items = [...(body.data as Array<Record<string, unknown>>)].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
  const embeddings = items.map((item) => {
    if (!Array.isArray(item.embedding)) {
      throw new GatewayError('PROVIDER_INVALID_RESPONSE', `${provider} returned an embedding that is not a vector`, { provider });
    }
    return item.embedding as number[];
  });
  const usage = (body.usage ?? {}) as Record<string, unknown>;
  return {
    provider,
    model: optionalString(body.model) ?? requestedModel,
    content: null,
    usage: normalizeUsage(usage.prompt_tokens, 0, usage.total_tokens),
    finishReason: 'stop',
    embeddings,
    metadata: { dimensions: embeddings[0]?.length ?? 0 },
  };
}
