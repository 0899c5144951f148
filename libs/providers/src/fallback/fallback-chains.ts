import { parseJsonArray } from '../json-array.js';

/** When `from` fails with one of `on`, try `to` in order, mapping models through `models`. */
export interface FallbackRule {
  from: string;
  to: string[];
  on: string[];
  models: Record<string, string>;
}

/** Failures that may move a call to another provider. Never the caller's own mistakes or auth. */
export const FALLBACK_TRIGGERS = [
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_QUOTA_EXCEEDED',
  'PROVIDER_INVALID_RESPONSE',
  'CREDENTIAL_NOT_FOUND',
] as const;
const DEFAULT_TRIGGERS = ['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_RATE_LIMITED'];

/**
 * FALLBACK_CHAINS: `[{"from":"openai","to":["anthropic"],"on":["PROVIDER_UNAVAILABLE"],"models":{"gpt-4o-mini":"claude-3-5-haiku-latest"}}]`.
 * `to` is tried in order; `on` defaults to unavailable, timeout and rate-limited; `models` maps the
 * caller's model to the target's (an unmapped model falls back to the target's default).
 */
export function parseFallbackChains(json: string | undefined, providerNames: string[]): { rules: FallbackRule[]; problems: string[] } {
  if (!json) return { rules: [], problems: [] };
  const parsed = parseJsonArray(json);
  if (!parsed) return { rules: [], problems: ['FALLBACK_CHAINS must be a JSON array of {from, to, on?, models?}'] };
  const problems: string[] = [];
  const rules: FallbackRule[] = [];
  (parsed as Array<Record<string, unknown> | null>).forEach((item, index) => {
    const label = `FALLBACK_CHAINS[${index}]`;
    const from = item?.from;
    const to = typeof item?.to === 'string' ? [item.to] : item?.to;
    const on = item?.on ?? DEFAULT_TRIGGERS;
    const models = item?.models ?? {};
    if (typeof from !== 'string' || !providerNames.includes(from))
      return void problems.push(`${label}.from must be one of: ${providerNames.join(', ')}`);
    if (
      !Array.isArray(to) ||
      to.length === 0 ||
      to.some((name) => typeof name !== 'string' || !providerNames.includes(name) || name === from)
    ) {
      return void problems.push(`${label}.to must list other providers among: ${providerNames.join(', ')}`);
    }
    if (!Array.isArray(on) || on.some((code) => !(FALLBACK_TRIGGERS as readonly unknown[]).includes(code))) {
      return void problems.push(`${label}.on may only name: ${FALLBACK_TRIGGERS.join(', ')} (never validation or authentication errors)`);
    }
    if (typeof models !== 'object' || Array.isArray(models) || Object.values(models).some((model) => typeof model !== 'string')) {
      return void problems.push(`${label}.models must map model names to model names`);
    }
    rules.push({ from, to: to as string[], on: on as string[], models: models as Record<string, string> });
  });
  return { rules, problems };
}
