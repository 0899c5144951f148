/**
 * The longest wait between tries while Opstage fails. Well under the 60 s after which a confirmed
 * command expires: once Opstage answers again, its commands are picked up in time.
 */
export const MAX_BACKOFF_MS = 15_000;

/** Exponential back-off from the loop's own interval, capped, with ±20 % jitter so replicas do not retry in step. */
export function backoffMs(intervalMs: number, consecutiveFailures: number, random: () => number = Math.random): number {
  const backoff = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(consecutiveFailures, 10));
  return Math.round(backoff * (0.8 + random() * 0.4));
}
