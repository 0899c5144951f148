import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { limitsConfig, type Budget, type LimitsConfig } from './limits.config.js';
import { COUNTER_STORE, type CheckResult, type CounterStore } from './counter-store.js';
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
 * (402 BUDGET_EXCEEDED once spend has reached a cap); each call's estimated cost is added after it.
 * Counters live in the same store as the rate limits (Redis when configured), so caps hold across
 * replicas.
 */
@Injectable()
export class BudgetGuard {
  private readonly budgets: { user: Budget; org: Budget };
  /** Without any cap configured, budgets cost nothing on the request path. */
  private readonly anyCap: boolean;

  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Inject(limitsConfig.token) limits: LimitsConfig,
  ) {
    this.budgets = limits.budgets;
    const { user, org } = this.budgets;
    this.anyCap = [user.dailyUsd, user.monthlyUsd, org.dailyUsd, org.monthlyUsd].some((cap) => cap > 0);
  }

  async admit(subject: RateLimitSubject, now = new Date()): Promise<void> {
    if (!this.anyCap) return;
    const caps = this.caps(subject, now);
    let result: CheckResult;
    try {
      // Only checked, nothing counted: all caps in one store operation.
      result = await this.store.check(caps.map(({ key, windowMs, capUsd }) => ({ key, limit: capUsd * MICRO, windowMs, take: false })));
    } catch {
      // Fail open: the counter store reports its own outage (one throttled warning, not one per call).
      return;
    }
    if (result.allowed) return;
    const { scope, id, period, capUsd } = caps[result.blocked];
    const spentMicros = result.count;
    throw new GatewayError(
      'BUDGET_EXCEEDED',
      `The ${period} budget of $${capUsd} for this ${scope} is spent ($${(spentMicros / MICRO).toFixed(4)})`,
      {
        metadata: { scope, id, period, capUsd, spentUsd: spentMicros / MICRO },
      },
    );
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

  async recordSpend(subject: RateLimitSubject, costUsd: number | null, now = new Date()): Promise<void> {
    if (!this.anyCap || !costUsd || costUsd <= 0) return;
    try {
      await this.store.add(this.caps(subject, now).map(({ key, windowMs }) => ({ key, amount: Math.round(costUsd * MICRO), windowMs })));
    } catch {
      // Lost while the counter store is down; it reports its own outage.
    }
  }

  private caps(subject: RateLimitSubject, now: Date) {
    const day = now.toISOString().slice(0, 10);
    const month = day.slice(0, 7);
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
}
