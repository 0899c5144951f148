import { GatewayError } from '@app/common';

/** Guards for reading untrusted upstream JSON without crashing on a surprise shape. */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('PROVIDER_INVALID_RESPONSE', `The upstream ${what} reply was not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
