/** One counter a call is checked against: refused when its count has reached `limit`; counted (+1) when `take`. */
export interface CounterCheck {
  key: string;
  limit: number;
  windowMs: number;
  take: boolean;
}

/** The answer of an atomic check of several counters. */
export type CheckResult =
  | { allowed: true }
  | {
      allowed: false;
      /** Index of the first check at its limit. */
      blocked: number;
      count: number;
      /** Milliseconds until that counter's window ends. */
      resetMs: number;
    };

export interface CounterAddition {
  key: string;
  amount: number;
  windowMs: number;
}

/** A counter that amounts are added to, and the window it starts when it is first added to. */
export type AddedCounter = Omit<CounterAddition, 'amount'>;

/**
 * Fixed-window counters. The Redis implementation makes every replica share them, so a limit holds
 * exactly across instances; the memory one serves single-instance setups. Each operation takes all
 * of a call's counters at once: one round trip and one script run per call, not one per counter.
 */
export interface CounterStore {
  /**
   * Atomically: when every counter is below its limit, adds 1 to those marked `take` and allows the
   * call; otherwise changes nothing and names the first counter at its limit.
   */
  check(checks: readonly CounterCheck[]): Promise<CheckResult>;
  /** Each counter's count in its window, with the window's remaining time. */
  read(counters: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Array<{ count: number; resetMs: number }>>;
  /**
   * Adds each amount to its counter (e.g. tokens used, once known). A store may hold additions back
   * briefly to send them with the next check; it resolves once they are written.
   */
  add(additions: readonly CounterAddition[]): Promise<void>;
  /** Writes any additions held back now (reads and `close` do so first themselves). */
  flush(): Promise<void>;
  /** Calls decided since start: by the store itself, or admitted from slots leased ahead (Redis only). */
  admissions(): CounterAdmissions;
  /** Resolves once the store can take commands, or after `timeoutMs` (then it fails open until it can). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface CounterAdmissions {
  checked: number;
  leased: number;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');
