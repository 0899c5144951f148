import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { limitsConfig, type Budget, type LimitsConfig } from './limits.config.js';
import { COUNTER_STORE, type AddedCounter, type CounterAddition, type CounterStore } from './counter-store.js';
import type { LimitRule } from './limit-rule.js';
import type { RateLimitSubject } from './rate-limiter.js';

const DAY_MS = 86_400_000;

/** How much of one spend cap is left. */
export interface BudgetHeadroom {
  scope: 'user' | 'org';
  id: string;
  period: 'daily' | 'monthly';
  capUsd: number;
  spentUsd: number;
  remainingUsd: number;
}
/** Spend is counted in micro-dollars: whole numbers, so Redis INCRBY keeps it exact. */
const MICRO = 1_000_000;

/**
 * Spend caps per user and per org, per UTC day and calendar month. Checked before the upstream call
 * (402 BUDGET_EXCEEDED once spend has reached a cap; CallLimits checks them with the rate limits in
 * one store operation); each call's estimated cost is added after it.
 * Counters live in the same store as the rate limits (Redis when configured), so caps hold across
 * replicas.
 */
@Injectable()
export class BudgetGuard {
  private readonly budgets: { user: Budget; org: Budget };
  /** Without any cap configured, budgets cost nothing on the request path. */
  private readonly anyCap: boolean;
  /** The UTC day of the last call and its names: formatting a date on every call costs more than the check. */
  private period = { startsAt: 0, endsAt: 0, day: '', month: '' };

  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Inject(limitsConfig.token) limits: LimitsConfig,
  ) {
    this.budgets = limits.budgets;
    const { user, org } = this.budgets;
    this.anyCap = [user.dailyUsd, user.monthlyUsd, org.dailyUsd, org.monthlyUsd].some((cap) => cap > 0);
  }

  /** The caps a call is checked against (only checked: spend is added once known). Refused with 402 BUDGET_EXCEEDED. */
  rules(subject: RateLimitSubject, now = new Date()): LimitRule[] {
    if (!this.anyCap) return [];
    return this.caps(subject, now).map(({ scope, id, period, capUsd, key, windowMs }) => ({
      counter: { key, limit: capUsd * MICRO, windowMs, take: false },
      refusal: (spentMicros) =>
        new GatewayError(
          'BUDGET_EXCEEDED',
          `The ${period} budget of $${capUsd} for this ${scope} is spent ($${(spentMicros / MICRO).toFixed(4)})`,
          {
            metadata: { scope, id, period, capUsd, spentUsd: spentMicros / MICRO },
          },
        ),
    }));
  }

  /** The subject's configured caps and what is spent against them, read without counting anything. Throws if the store is down. */
  async headroom(subject: RateLimitSubject, now = new Date()): Promise<BudgetHeadroom[]> {
    const caps = this.caps(subject, now);
    const spent = await this.store.read(caps.map(({ key, windowMs }) => ({ key, windowMs })));
    return caps.map(({ scope, id, period, capUsd }, index) => {
      const spentUsd = spent[index].count / MICRO;
      return { scope, id, period, capUsd, spentUsd, remainingUsd: Math.max(0, Math.round((capUsd - spentUsd) * MICRO) / MICRO) };
    });
  }

  /** What a finished call's estimated cost adds to its spend counters (spendCounters): nothing for a free or unpriced call. */
  spendAdditions(counters: readonly AddedCounter[], costUsd: number | null): CounterAddition[] {
    if (!costUsd || costUsd <= 0) return [];
    const amount = Math.round(costUsd * MICRO);
    return counters.map(({ key, windowMs }) => ({ key, amount, windowMs }));
  }

  /** The spend counters a call's cost is added to, named for `now`'s day and month. */
  spendCounters(subject: RateLimitSubject, now = new Date()): AddedCounter[] {
    if (!this.anyCap) return [];
    return this.caps(subject, now).map(({ key, windowMs }) => ({ key, windowMs }));
  }

  /** The budget period `now` is in: counters' names change with it ('' without any cap). */
  periodName(now: Date): string {
    return this.anyCap ? this.periodOf(now).day : '';
  }

  private caps(subject: RateLimitSubject, now: Date) {
    const { day, month } = this.periodOf(now);
    const owners: Array<{ scope: 'user' | 'org'; id: string; budget: Budget }> = [
      { scope: 'user', id: subject.userId, budget: this.budgets.user },
    ];
    if (subject.orgId) owners.push({ scope: 'org', id: subject.orgId, budget: this.budgets.org });
    return owners.flatMap(({ scope, id, budget }) => [
      ...(budget.dailyUsd > 0
        ? [{ scope, id, period: 'daily' as const, capUsd: budget.dailyUsd, key: `spend:${scope}:${id}:${day}`, windowMs: 2 * DAY_MS }]
        : []),
      ...(budget.monthlyUsd > 0
        ? [
            {
              scope,
              id,
              period: 'monthly' as const,
              capUsd: budget.monthlyUsd,
              key: `spend:${scope}:${id}:${month}`,
              windowMs: 32 * DAY_MS,
            },
          ]
        : []),
    ]);
  }

  /** The counters' names for `now`'s UTC day and month (`2026-11-30`, `2026-11`). */
  private periodOf(now: Date): { day: string; month: string } {
    const time = now.getTime();
    if (time < this.period.startsAt || time >= this.period.endsAt) {
      const startsAt = Math.floor(time / DAY_MS) * DAY_MS;
      const day = now.toISOString().slice(0, 10);
      this.period = { startsAt, endsAt: startsAt + DAY_MS, day, month: day.slice(0, 7) };
    }
    return this.period;
  }
}
