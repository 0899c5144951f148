import type { Attempt } from './attempt.js';

/** Something that is told of every finished attempt (a log line, metrics, the execution log): a new output is one class. */
export interface AttemptObserver {
  observe(attempt: Attempt, outcome: string): void;
}

export const ATTEMPT_OBSERVERS = Symbol('ATTEMPT_OBSERVERS');
