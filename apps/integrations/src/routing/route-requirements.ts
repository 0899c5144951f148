import { arrayOf, integer, number, object, optional, string, type ObjectRule } from '@app/common';

/** What `provider: "auto"` must find: the cheapest model of a provider the caller can use that meets all of it. */
export interface RouteRequirements {
  /** Every one of them (chat, vision, function_calling, reasoning, embedding, json_mode…); the operation adds its own. */
  capabilities?: string[];
  minContextWindow?: number;
  /** USD per 1M prompt tokens, at most. */
  maxInputPricePer1M?: number;
  /** USD per 1M completion tokens, at most. */
  maxOutputPricePer1M?: number;
  /** Among equally cheap candidates, these first, in this order. */
  preferProviders?: string[];
  excludeProviders?: string[];
}

const NAME = string({ min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/, patternMessage: 'must be a name' });

export const ROUTE_REQUIREMENTS: ObjectRule<RouteRequirements> = object<RouteRequirements>({
  capabilities: optional(arrayOf(NAME, { max: 16 })),
  minContextWindow: optional(integer({ min: 1 })),
  maxInputPricePer1M: optional(number({ min: 0 })),
  maxOutputPricePer1M: optional(number({ min: 0 })),
  preferProviders: optional(arrayOf(NAME, { max: 64 })),
  excludeProviders: optional(arrayOf(NAME, { max: 64 })),
});

/** The capability an operation needs of any model that serves it. */
export const OPERATION_CAPABILITY: Readonly<Record<string, string>> = {
  'chat.completions': 'chat',
  messages: 'chat',
  responses: 'chat',
  'text.generation': 'chat',
  'image.description': 'vision',
  embeddings: 'embedding',
};
