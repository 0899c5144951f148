import type { IncomingHttpHeaders } from 'node:http';

const NON_NEGATIVE_NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Reads how long the upstream asked us to wait: `retry-after-ms` (OpenAI, Azure) wins over
 * `retry-after`, which is either seconds or an HTTP date. Undefined when the upstream said nothing.
 */
export function parseRetryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const retryAfterMs = firstValue(headers['retry-after-ms']);
  if (retryAfterMs !== undefined && NON_NEGATIVE_NUMBER.test(retryAfterMs)) return Math.ceil(Number(retryAfterMs));
  const retryAfter = firstValue(headers['retry-after']);
  if (retryAfter === undefined) return undefined;
  if (NON_NEGATIVE_NUMBER.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  // Only an HTTP date (it names a weekday and month) counts; Date.parse would accept "-5" as a year.
  if (!/[A-Za-z]/.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
