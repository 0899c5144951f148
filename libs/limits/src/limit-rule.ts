import type { GatewayError } from '@app/common';
import type { CounterCheck } from './counter-store.js';

/** One counter a call must be under, and the error that refuses the call when it is not. */
export interface LimitRule {
  counter: CounterCheck;
  refusal(count: number, resetMs: number): GatewayError;
}
