/** Origin and path of a URL, as undici's dispatcher takes them. */
export interface UrlParts {
  origin: string;
  path: string;
}

const MAX_REMEMBERED = 1_000;
const remembered = new Map<string, UrlParts>();

/**
 * Splits `url` once and remembers the answer: adapters build the same few URLs (one per provider
 * operation, or per model for HuggingFace) on every call, and parsing them each time showed in profiles.
 */
export function urlParts(url: string): UrlParts {
  let parts = remembered.get(url);
  if (!parts) {
    const parsed = new URL(url);
    parts = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    // Bounded: a deployment with endless distinct URLs just parses again.
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(url, parts);
  }
  return parts;
}
