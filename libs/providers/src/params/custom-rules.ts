import { satisfies, type Rule } from '@app/common';

/** A string, or a non-empty array of strings (OpenAI's `stop`, embedding `input`). */
export function stringOrStringArray({ maxItems }: { maxItems: number }): Rule<string | string[]> {
  return satisfies(
    (value) => typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.length <= maxItems && value.every((item) => typeof item === 'string')),
    `must be a string or an array of 1 to ${maxItems} strings`,
  );
}

/** Message content: text, an array of content parts (images, etc.), or null (assistant tool-call turns). */
export function messageContent(): Rule<string | object[] | null> {
  return satisfies(
    (value) => typeof value === 'string' || value === null || (Array.isArray(value) && value.every((part) => part !== null && typeof part === 'object' && !Array.isArray(part))),
    'must be a string, an array of content part objects, or null',
  );
}
