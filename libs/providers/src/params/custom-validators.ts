import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A string, or a non-empty array of strings (OpenAI's `stop`, embedding `input`). */
export function IsStringOrStringArray(options?: ValidationOptions & { maxItems?: number }): PropertyDecorator {
  const maxItems = options?.maxItems ?? Number.MAX_SAFE_INTEGER;
  return ValidateBy(
    {
      name: 'isStringOrStringArray',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' ||
          (Array.isArray(value) && value.length > 0 && value.length <= maxItems && value.every((item) => typeof item === 'string')),
        defaultMessage: () => `must be a string or an array of 1 to ${maxItems} strings`,
      },
    },
    options,
  );
}

/** Message content: text, an array of content parts (images, etc.), or null (assistant tool-call turns). */
export function IsMessageContent(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMessageContent',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' ||
          value === null ||
          (Array.isArray(value) && value.every((part) => part !== null && typeof part === 'object' && !Array.isArray(part))),
        defaultMessage: () => 'must be a string, an array of content part objects, or null',
      },
    },
    options,
  );
}
