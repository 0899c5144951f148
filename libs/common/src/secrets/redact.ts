export const REDACTED = '[REDACTED]';

/**
 * Shapes of provider keys and bearer tokens. Upstreams echo parts of keys in their error messages
 * (OpenAI: "Incorrect API key provided: sk-abc***wxyz"), so every upstream text passes through here.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // Masked echoes count too ("sk-abc***wxyz", "hf_…...abc123"): the visible parts are still parts of the key.
  /\bsk-[A-Za-z0-9_\-*.…]{4,}/g, // OpenAI, Anthropic (sk-ant-…), many OpenAI-compatible servers
  /\bhf_[A-Za-z0-9_\-*.…]{3,}/g, // HuggingFace
  /\b(Bearer|Basic)\s+[A-Za-z0-9_\-.~+/=*]+/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs
];

/** A known key's last characters, as upstreams echo them in masked form, are redacted when the key is at least this long. */
const TAIL_LENGTH = 6;
const MIN_LENGTH_FOR_TAIL = 16;

/**
 * Removes known secrets (exact values, and the word holding a long key's last six characters, as
 * masked echoes show them) and anything shaped like a key or token from `text`.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    // Short values would redact ordinary words; real keys are far longer.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
    if (secret.length >= MIN_LENGTH_FOR_TAIL) {
      const tail = secret.slice(-TAIL_LENGTH).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      result = result.replace(new RegExp(`[^\\s"'\`]*${tail}`, 'g'), REDACTED);
    }
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, REDACTED);
  }
  return result;
}
