/** The answer of an atomic "take one if under the limit". */
export interface TakeResult {
  allowed: boolean;
  /** Milliseconds until the current window ends. */
  resetMs: number;
}

/**
 * Fixed-window counters. The Redis implementation makes every replica share them, so a limit holds
 * exactly across instances; the memory one serves single-instance setups.
 */
export interface CounterStore {
  /** Atomically adds 1 when the window's count is below `limit`. */
  take(key: string, limit: number, windowMs: number): Promise<TakeResult>;
  /** The window's count, with its remaining time. */
  read(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /** Adds `amount` to the window's count (e.g. tokens used, once known). */
  add(key: string, amount: number, windowMs: number): Promise<void>;
  /** Resolves once the store can take commands, or after `timeoutMs` (then it fails open until it can). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');
