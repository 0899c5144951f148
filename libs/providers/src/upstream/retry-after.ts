import type { IncomingHttpHeaders } from 'node:http';

/**
 * Reads how long the upstream asked us to wait: `retry-after-ms` (OpenAI, Azure) wins over
 * `retry-after`, which is either seconds or an HTTP date. Undefined when the upstream said nothing.
 */
export function parseRetryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const milliseconds = Number(firstValue(headers['retry-after-ms']));
  if (Number.isFinite(milliseconds) && milliseconds >= 0 && firstValue(headers['retry-after-ms']) !== undefined) {
    return Math.ceil(milliseconds);
  }
  const retryAfter = firstValue(headers['retry-after']);
  if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
