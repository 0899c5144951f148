import { describe, expect, it } from '@jest/globals';
import type { LimitsConfig } from './limits.config.js';
import { BudgetGuard } from './budget-guard.js';
import { MemoryCounterStore } from './memory-counter.store.js';

const config = {
  user: { rpm: 0, tpm: 0 },
  org: { rpm: 0, tpm: 0 },
  budgets: { user: { dailyUsd: 5, monthlyUsd: 50 }, org: { dailyUsd: 0, monthlyUsd: 500 } },
} as LimitsConfig;

describe('BudgetGuard', () => {
  it('names spend counters by UTC day and month, across midnight, a month end and back', () => {
    const guard = new BudgetGuard(new MemoryCounterStore(), config);
    const keysAt = (iso: string) =>
      guard.spendAdditions(guard.spendCounters({ userId: 'u1', orgId: 'o1' }, new Date(iso)), 0.25).map(({ key }) => key);

    expect(keysAt('2026-11-30T23:59:59.999Z')).toEqual(['spend:user:u1:2026-11-30', 'spend:user:u1:2026-11', 'spend:org:o1:2026-11']);
    expect(keysAt('2026-12-01T00:00:00.000Z')).toEqual(['spend:user:u1:2026-12-01', 'spend:user:u1:2026-12', 'spend:org:o1:2026-12']);
    expect(keysAt('2026-12-01T18:30:00.000Z')).toEqual(['spend:user:u1:2026-12-01', 'spend:user:u1:2026-12', 'spend:org:o1:2026-12']);
    expect(keysAt('2026-11-30T12:00:00.000Z')).toEqual(['spend:user:u1:2026-11-30', 'spend:user:u1:2026-11', 'spend:org:o1:2026-11']);
  });

  it('adds spend in whole micro-dollars and nothing for a free or unpriced call', () => {
    const guard = new BudgetGuard(new MemoryCounterStore(), config);
    const counters = guard.spendCounters({ userId: 'u1' }, new Date('2026-11-30T10:00:00Z'));
    expect(guard.spendAdditions(counters, 0.0000125).map(({ amount }) => amount)).toEqual([13, 13]);
    expect(guard.spendAdditions(counters, 0)).toEqual([]);
    expect(guard.spendAdditions(counters, null)).toEqual([]);
  });
});
