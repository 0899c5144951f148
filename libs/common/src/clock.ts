/** Milliseconds since the epoch, as Date.now gives them; injected so time-based logic is testable without sleeping. */
export type Clock = () => number;

/** The injection token of the clock; absent, code falls back to Date.now. */
export const CLOCK = Symbol('CLOCK');
