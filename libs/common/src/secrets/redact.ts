export const REDACTED = '[REDACTED]';

/**
 * Shapes of provider keys and bearer tokens. Upstreams echo parts of keys in their error messages
 * (OpenAI: "Incorrect API key provided: sk-abc***wxyz"), so every upstream text passes through here.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_\-*.]{4,}/g, // OpenAI, Anthropic (sk-ant-…), many OpenAI-compatible servers
  /\bhf_[A-Za-z0-9]{8,}/g, // HuggingFace
  /\b(Bearer|Basic)\s+[A-Za-z0-9_\-.~+/=*]+/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs
];

/** Removes known secrets (exact values) and anything shaped like a key or token from `text`. */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    // Short values would redact ordinary words; real keys are far longer.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, REDACTED);
  }
  return result;
}
