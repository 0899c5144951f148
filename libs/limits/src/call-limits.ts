import { Inject, Injectable } from '@nestjs/common';
import { BudgetGuard } from './budget-guard.js';
import { COUNTER_STORE, type CounterStore } from './counter-store.js';
import { RateLimiter, type RateLimitSubject } from './rate-limiter.js';

/**
 * A call's rate limits and budgets against the counter store: all checked in one atomic operation
 * before the upstream call (a rate limit reported before a budget; a refused call counts against
 * none), its tokens and spend added in one after it. If the store (Redis) fails, calls are let
 * through and the store reports its outage: a Redis blip must not take the gateway down.
 */
@Injectable()
export class CallLimits {
  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    private readonly rateLimiter: RateLimiter,
    private readonly budgets: BudgetGuard,
  ) {}

  /** Throws the first refusal (429 RATE_LIMITED or 402 BUDGET_EXCEEDED); else counts the request. */
  async admit(subject: RateLimitSubject, now = new Date()): Promise<void> {
    const rules = [...this.rateLimiter.rules(subject), ...this.budgets.rules(subject, now)];
    if (rules.length === 0) return;
    let result;
    try {
      result = await this.store.check(rules.map(({ counter }) => counter));
    } catch {
      return; // fail open
    }
    if (!result.allowed) throw rules[result.blocked].refusal(result.count, result.resetMs);
  }

  /** Adds a finished call's tokens and estimated cost to its counters. Never rejects (lost while the store is down). */
  async record(subject: RateLimitSubject, tokens: number, costUsd: number | null, now = new Date()): Promise<void> {
    const additions = [...this.rateLimiter.tokenAdditions(subject, tokens), ...this.budgets.spendAdditions(subject, costUsd, now)];
    if (additions.length === 0) return;
    await this.store.add(additions).catch(() => undefined);
  }

  /** Writes additions the store holds back for the next check (tests and shutdown use it). */
  async flush(): Promise<void> {
    await this.store.flush().catch(() => undefined);
  }
}
