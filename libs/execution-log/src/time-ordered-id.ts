import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest random.
 * Rows inserted in time order then land at the right-hand edge of the primary-key index instead of
 * on a random leaf page each, which is cheaper to write and to log (fewer pages touched per batch).
 * Built from `randomUUID()` (which draws from a pooled buffer) with the time written over its front.
 */
export function timeOrderedId(nowMs: number): string {
  const random = randomUUID();
  const time = Math.max(0, Math.min(Math.trunc(nowMs), MAX_48_BITS))
    .toString(16)
    .padStart(12, '0');
  // random: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep from the version nibble's successor on.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

const MAX_48_BITS = 2 ** 48 - 1;
