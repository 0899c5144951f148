/**
 * What usage adds up, the same from raw rows and from rollups: calls, failures, cached answers,
 * tokens, and the tokens of the calls that reached the provider (what a cost estimate prices).
 */
export interface UsageSums {
  calls: number;
  failedCalls: number;
  /** Answered from the response cache: counted, never billed. */
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Tokens of the calls that reached the provider: what a cost estimate prices. */
  billed: { promptTokens: number; completionTokens: number };
}

/** The sums as SQL over raw execution-log rows, under the column names usageSums() reads. */
export const RAW_USAGE_SUMS = `count(*) AS calls, count(*) FILTER (WHERE NOT "success") AS failed,
  count(*) FILTER (WHERE "cached") AS cached, sum("prompt_tokens") AS prompt, sum("completion_tokens") AS completion,
  sum("total_tokens") AS total, sum("prompt_tokens") FILTER (WHERE NOT "cached") AS billed_prompt,
  sum("completion_tokens") FILTER (WHERE NOT "cached") AS billed_completion`;

/** The same sums over hourly rollups (where a cached answer is the outcome `cached`). */
export const ROLLUP_USAGE_SUMS = `sum("calls") AS calls, sum("errors") AS failed,
  sum("calls") FILTER (WHERE "outcome" = 'cached') AS cached, sum("prompt_tokens") AS prompt,
  sum("completion_tokens") AS completion, sum("total_tokens") AS total,
  sum("prompt_tokens") FILTER (WHERE "outcome" <> 'cached') AS billed_prompt,
  sum("completion_tokens") FILTER (WHERE "outcome" <> 'cached') AS billed_completion`;

/** A result row's sums (PostgreSQL returns bigint sums as text; a sum over no tokens is null). */
export function usageSums(row: Record<string, unknown>): UsageSums {
  const number = (value: unknown) => Number(value ?? 0);
  return {
    calls: number(row.calls),
    failedCalls: number(row.failed),
    cachedCalls: number(row.cached),
    promptTokens: number(row.prompt),
    completionTokens: number(row.completion),
    totalTokens: number(row.total),
    billed: { promptTokens: number(row.billed_prompt), completionTokens: number(row.billed_completion) },
  };
}

/** Adds `sums` into `into`. */
export function addUsageSums(into: UsageSums, sums: UsageSums): void {
  into.calls += sums.calls;
  into.failedCalls += sums.failedCalls;
  into.cachedCalls += sums.cachedCalls;
  into.promptTokens += sums.promptTokens;
  into.completionTokens += sums.completionTokens;
  into.totalTokens += sums.totalTokens;
  into.billed.promptTokens += sums.billed.promptTokens;
  into.billed.completionTokens += sums.billed.completionTokens;
}
