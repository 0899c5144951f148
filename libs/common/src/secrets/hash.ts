import { createHash, hash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 hex of a secret: a cache key or comparison value that does not reveal the secret. The
 * one-shot `hash` (no Hash object per call): the introspection cache takes one per request.
 */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Constant-time comparison of two secrets (hashes first, so lengths never leak). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** A display fingerprint like `sk-…abcd`: the key's prefix family and last four characters only. */
export function keyFingerprint(apiKey: string): string {
  const prefix = /^(sk-ant-|sk-proj-|sk-|hf_)/.exec(apiKey)?.[1] ?? '';
  return `${prefix}…${apiKey.slice(-4)}`;
}
