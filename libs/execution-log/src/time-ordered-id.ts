import { randomFillSync } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest random.
 * Rows inserted in time order then land at the right-hand edge of the primary-key index instead of
 * on a random leaf page each, which is cheaper to write and to log (fewer pages touched per batch).
 * One is made for every logged call, so the random bytes are drawn in bulk and the text is put
 * together from a table of byte pairs.
 */
export function timeOrderedId(nowMs: number): string {
  const time = Math.max(0, Math.min(Math.trunc(nowMs), MAX_48_BITS));
  const high = Math.floor(time / 2 ** 24); // the first 24 bits
  const low = time % 2 ** 24;
  const at = nextRandomBytes();
  const random = pool;
  return (
    HEX[high >>> 16] +
    HEX[(high >>> 8) & 0xff] +
    HEX[high & 0xff] +
    HEX[low >>> 16] +
    '-' +
    HEX[(low >>> 8) & 0xff] +
    HEX[low & 0xff] +
    '-7' +
    HEX[random[at] & 0x0f].slice(1) + // version 7, then 12 random bits
    HEX[random[at + 1]] +
    '-' +
    HEX[0x80 | (random[at + 2] & 0x3f)] + // the variant (binary 10), then 62 random bits
    HEX[random[at + 3]] +
    '-' +
    HEX[random[at + 4]] +
    HEX[random[at + 5]] +
    HEX[random[at + 6]] +
    HEX[random[at + 7]] +
    HEX[random[at + 8]] +
    HEX[random[at + 9]]
  );
}

const MAX_48_BITS = 2 ** 48 - 1;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes for 256 ids at a time; each id takes the next ten. */
const RANDOM_BYTES_PER_ID = 10;
const pool = Buffer.alloc(256 * RANDOM_BYTES_PER_ID);
let offset = pool.length;

/** Where the next id's ten random bytes start in `pool` (refilled once all are used). */
function nextRandomBytes(): number {
  offset += RANDOM_BYTES_PER_ID;
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return offset;
}
