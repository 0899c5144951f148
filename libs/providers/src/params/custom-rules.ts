import { anyObject, boolean, isPlainObject, object, oneOf, optional, satisfies, string, type ObjectRule, type Rule } from '@app/common';
import type { JsonSchemaFormatParam, ResponseFormatParam } from './chat-completion.params.js';

/** OpenAI's rule for the names of functions and response schemas. */
export const FUNCTION_NAME = { pattern: /^[A-Za-z0-9_-]{1,64}$/, patternMessage: 'must be 1-64 letters, digits, _ or -' };

/** A string, or a non-empty array of strings (OpenAI's `stop`, embedding `input`). */
export function stringOrStringArray({ maxItems }: { maxItems: number }): Rule<string | string[]> {
  return satisfies(
    (value) =>
      typeof value === 'string' ||
      (Array.isArray(value) && value.length > 0 && value.length <= maxItems && value.every((item) => typeof item === 'string')),
    `must be a string or an array of 1 to ${maxItems} strings`,
  );
}

/** Message content: text, an array of content parts (images, etc.), or null (assistant tool-call turns). */
export function messageContent(): Rule<string | object[] | null> {
  return satisfies(
    (value) =>
      typeof value === 'string' ||
      value === null ||
      (Array.isArray(value) && value.every((part) => part !== null && typeof part === 'object' && !Array.isArray(part))),
    'must be a string, an array of content part objects, or null',
  );
}

const RESPONSE_FORMATS: Readonly<Record<string, ObjectRule<ResponseFormatParam>>> = {
  text: object<{ type: 'text' }>({ type: oneOf(['text']) }),
  json_object: object<{ type: 'json_object' }>({ type: oneOf(['json_object']) }),
  json_schema: object<{ type: 'json_schema'; jsonSchema: JsonSchemaFormatParam }>({
    type: oneOf(['json_schema']),
    jsonSchema: object<JsonSchemaFormatParam>({
      name: string(FUNCTION_NAME),
      description: optional(string({ max: 4096 })),
      schema: optional(anyObject()),
      strict: optional(boolean()),
    }),
  }),
};

/** `{type: 'text' | 'json_object'}` or `{type: 'json_schema', jsonSchema: {name, schema?, strict?, description?}}`. */
export function responseFormat(): Rule<ResponseFormatParam> {
  const typeMessage = `must be one of the following values: ${Object.keys(RESPONSE_FORMATS).join(', ')}`;
  return {
    optional: false,
    check(value, path, out) {
      if (!isPlainObject(value)) return void out.push({ field: path, message: 'must be an object' });
      const variant =
        typeof value.type === 'string' && Object.hasOwn(RESPONSE_FORMATS, value.type) ? RESPONSE_FORMATS[value.type] : undefined;
      if (!variant) return void out.push({ field: `${path}.type`, message: typeMessage });
      variant.check(value, path, out);
    },
  };
}

/** OpenAI's `logit_bias`: token ids (digits) mapped to a bias from -100 to 100. */
export function logitBias(): Rule<Record<string, number>> {
  return satisfies(
    (value) =>
      isPlainObject(value) &&
      Object.entries(value).every(([token, bias]) => /^\d{1,10}$/.test(token) && typeof bias === 'number' && bias >= -100 && bias <= 100),
    'must map token ids to numbers from -100 to 100',
  );
}
