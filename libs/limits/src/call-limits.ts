import { Inject, Injectable } from '@nestjs/common';
import { BudgetGuard } from './budget-guard.js';
import { COUNTER_STORE, type AddedCounter, type CounterCheck, type CounterStore } from './counter-store.js';
import type { LimitRule } from './limit-rule.js';
import { RateLimiter, type RateLimitSubject } from './rate-limiter.js';

/**
 * A subject's rules and counters for one budget period. Limits are fixed at boot and counters are
 * named by subject and period, so they are made once per subject and day, not on every call; the
 * same arrays each time also let the store keep what it derives from them.
 */
interface SubjectPlan {
  period: string;
  rules: LimitRule[];
  checks: CounterCheck[];
  tokenCounters: AddedCounter[];
  spendCounters: AddedCounter[];
}

/** A lost addition is already reported by the store as its outage. */
const ignoreLoss = (): void => undefined;

/** Subjects whose plans are kept; past it, they are all made again (a plan is cheap, only not per call). */
const MAX_PLANS = 10_000;

/**
 * A call's rate limits and budgets against the counter store: all checked in one atomic operation
 * before the upstream call (a rate limit reported before a budget; a refused call counts against
 * none), its tokens and spend added in one after it. If the store (Redis) fails, calls are let
 * through and the store reports its outage: a Redis blip must not take the gateway down.
 */
@Injectable()
export class CallLimits {
  /**
   * By user id, then org id ('' for none): looked up by the strings the caller already holds (their
   * hashes kept by V8), not by a key string made and hashed anew on every call.
   */
  private readonly plans = new Map<string, Map<string, SubjectPlan>>();
  private planCount = 0;

  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    private readonly rateLimiter: RateLimiter,
    private readonly budgets: BudgetGuard,
  ) {}

  /** Throws the first refusal (429 RATE_LIMITED or 402 BUDGET_EXCEEDED); else counts the request. */
  async admit(subject: RateLimitSubject, now = new Date()): Promise<void> {
    const { rules, checks } = this.planFor(subject, now);
    if (rules.length === 0) return;
    let result;
    try {
      result = await this.store.check(checks);
    } catch {
      return; // fail open
    }
    if (!result.allowed) throw rules[result.blocked].refusal(result.count, result.resetMs);
  }

  /**
   * Adds a finished call's tokens and estimated cost to its counters, in the background: the call
   * neither waits for it nor keeps anything alive until it is written (`flush()` waits). Never throws;
   * additions are lost while the store is down.
   */
  record(subject: RateLimitSubject, tokens: number, costUsd: number | null, now = new Date()): void {
    try {
      const { tokenCounters, spendCounters } = this.planFor(subject, now);
      const additions = this.rateLimiter.tokenAdditions(tokenCounters, tokens);
      for (const addition of this.budgets.spendAdditions(spendCounters, costUsd)) additions.push(addition);
      if (additions.length === 0) return;
      this.store.add(additions).catch(ignoreLoss);
    } catch {
      // Counting runs after the answer is in hand: a store that throws must not turn it into an error.
    }
  }

  private planFor(subject: RateLimitSubject, now: Date): SubjectPlan {
    const period = this.budgets.periodName(now);
    const orgId = subject.orgId ?? '';
    let ofUser = this.plans.get(subject.userId);
    let plan = ofUser?.get(orgId);
    if (plan?.period !== period) {
      const rules = [...this.rateLimiter.rules(subject), ...this.budgets.rules(subject, now)];
      plan = {
        period,
        rules,
        checks: rules.map(({ counter }) => counter),
        tokenCounters: this.rateLimiter.tokenCounters(subject),
        spendCounters: this.budgets.spendCounters(subject, now),
      };
      if (this.planCount >= MAX_PLANS) {
        this.plans.clear();
        this.planCount = 0;
        ofUser = undefined;
      }
      if (!ofUser) this.plans.set(subject.userId, (ofUser = new Map<string, SubjectPlan>()));
      if (!ofUser.has(orgId)) this.planCount++;
      ofUser.set(orgId, plan);
    }
    return plan;
  }

  /** Resolves once every addition recorded so far is written (tests and shutdown use it). */
  async flush(): Promise<void> {
    await this.store.flush().catch(() => undefined);
  }
}
