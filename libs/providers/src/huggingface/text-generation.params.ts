import { integer, number, object, optional, string } from '@app/common';
import { stringOrStringArray } from '../params/custom-rules.js';

/** Plain text continuation of a prompt (HuggingFace text-generation). */
export interface TextGenerationParams {
  model?: string;
  prompt: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string | string[];
  seed?: number;
}

export const TEXT_GENERATION_PARAMS = object<TextGenerationParams>({
  model: optional(string({ min: 1, max: 256 })),
  prompt: string({ min: 1 }),
  maxTokens: optional(integer({ min: 1 })),
  temperature: optional(number({ min: 0, max: 100 })),
  topP: optional(number({ min: 0, max: 1 })),
  stop: optional(stringOrStringArray({ maxItems: 4 })),
  seed: optional(integer()),
});
