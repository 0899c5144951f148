/** Milliseconds since the epoch, as Date.now gives them; injected so time-based logic is testable without sleeping. */
export type Clock = () => number;

/** The injection token of the clock; absent, code falls back to Date.now. */
export const CLOCK = Symbol('CLOCK');

/** A task waiting its time, which may be called off. */
export interface ScheduledTask {
  cancel(): void;
}

/**
 * Runs `task` once `ms` have passed; injected where a test must decide when that time has passed
 * (instead of sleeping on real time).
 */
export type Schedule = (task: () => void, ms: number) => ScheduledTask;

/** setTimeout, unref'd: a task waiting its time does not keep the process alive. */
export const unrefTimeout: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};
