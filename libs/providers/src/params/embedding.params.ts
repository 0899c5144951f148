import { integer, object, optional, string } from '@app/common';
import { stringOrStringArray } from './custom-rules.js';

/** `params` of an embeddings call: one text or a batch of texts. */
export interface EmbeddingParams {
  model?: string;
  input: string | string[];
  /** Output vector size, for models that can shorten their embeddings. */
  dimensions?: number;
  user?: string;
}

export const EMBEDDING_PARAMS = object<EmbeddingParams>({
  model: optional(string({ min: 1, max: 256 })),
  input: stringOrStringArray({ maxItems: 2048 }),
  dimensions: optional(integer({ min: 1, max: 65_536 })),
  user: optional(string({ max: 256 })),
});
