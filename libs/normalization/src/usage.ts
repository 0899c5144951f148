import type { NormalizedUsage } from './normalized-response.js';

/**
 * A token count as an upstream reported it, if it is one: a non-negative safe integer. Anything else
 * (negative, fractional, a string, 1e300) is unknown: upstream bytes must never reach a counter,
 * a budget or a database column unchecked.
 */
export function tokenCount(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** Builds usage from whatever counts the upstream gave; missing or invalid counts are 0, a missing total is summed. */
export function normalizeUsage(promptTokens: unknown, completionTokens: unknown, totalTokens?: unknown): NormalizedUsage {
  const prompt = tokenCount(promptTokens) ?? 0;
  const completion = tokenCount(completionTokens) ?? 0;
  const total = totalTokens === undefined || totalTokens === null ? prompt + completion : (tokenCount(totalTokens) ?? prompt + completion);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: total };
}
