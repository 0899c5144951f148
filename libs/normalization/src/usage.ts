import type { NormalizedUsage } from './normalized-response.js';

/** Builds usage from whatever counts the upstream gave; missing counts are 0, a missing total is summed. */
export function normalizeUsage(promptTokens: unknown, completionTokens: unknown, totalTokens?: unknown): NormalizedUsage {
  const prompt = toCount(promptTokens);
  const completion = toCount(completionTokens);
  const total = totalTokens === undefined || totalTokens === null ? prompt + completion : toCount(totalTokens);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: total };
}

function toCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : 0;
}
