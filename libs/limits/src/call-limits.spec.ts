import { describe, expect, it } from '@jest/globals';
import type { LimitsConfig, RateLimit } from './limits.config.js';
import type { CounterStore } from './counter-store.js';
import { BudgetGuard } from './budget-guard.js';
import { CallLimits } from './call-limits.js';
import { MemoryCounterStore } from './memory-counter.store.js';
import { RateLimiter } from './rate-limiter.js';

const noBudget = { dailyUsd: 0, monthlyUsd: 0 };

function limitsOf(store: CounterStore, user: RateLimit = { rpm: 2, tpm: 100 }, org: RateLimit = { rpm: 3, tpm: 0 }, userDailyUsd = 0) {
  const config = { user, org, budgets: { user: { dailyUsd: userDailyUsd, monthlyUsd: 0 }, org: noBudget } } as LimitsConfig;
  const rateLimiter = new RateLimiter(store, config);
  return { limits: new CallLimits(store, rateLimiter, new BudgetGuard(store, config)), rateLimiter };
}

describe('CallLimits', () => {
  it('refuses the request over a user’s requests per minute with RATE_LIMITED and a wait', async () => {
    const { limits } = limitsOf(new MemoryCounterStore());
    await limits.admit({ userId: 'u1' });
    await limits.admit({ userId: 'u1' });
    await expect(limits.admit({ userId: 'u1' })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    await expect(limits.admit({ userId: 'u2' })).resolves.toBeUndefined();
  });

  it('keeps apart users whose ids and organizations spell the same text together', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 1, tpm: 0 }, { rpm: 0, tpm: 0 });
    await limits.admit({ userId: 'ab', orgId: 'c' });
    await expect(limits.admit({ userId: 'a', orgId: 'bc' })).resolves.toBeUndefined();
    await expect(limits.admit({ userId: 'ab', orgId: 'c' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts an organization across its users', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 0, tpm: 0 });
    for (const userId of ['a', 'b', 'c']) await limits.admit({ userId, orgId: 'o1' });
    await expect(limits.admit({ userId: 'd', orgId: 'o1' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts a call refused by one limit against none of the others', async () => {
    const { limits, rateLimiter } = limitsOf(new MemoryCounterStore(), { rpm: 5, tpm: 0 }, { rpm: 1, tpm: 0 });
    await limits.admit({ userId: 'a', orgId: 'o1' });
    await expect(limits.admit({ userId: 'b', orgId: 'o1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('1 requests per minute for this org'),
    });
    const headroom = await rateLimiter.headroom({ userId: 'b', orgId: 'o1' });
    expect(headroom.find((entry) => entry.scope === 'user')).toMatchObject({ kind: 'requests', used: 0, remaining: 5 });
  });

  it('refuses the next call once the tokens recorded reach the per-minute budget', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 0, tpm: 100 });
    await limits.admit({ userId: 'u1' });
    limits.record({ userId: 'u1' }, 100, null);
    await expect(limits.admit({ userId: 'u1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('tokens per minute'),
    });
  });

  it('refuses with BUDGET_EXCEEDED once the recorded spend reaches a cap, and a refused call takes no request slot', async () => {
    const { limits, rateLimiter } = limitsOf(new MemoryCounterStore(), { rpm: 10, tpm: 0 }, { rpm: 0, tpm: 0 }, 1);
    await limits.admit({ userId: 'u1' });
    limits.record({ userId: 'u1' }, 50, 1.25);
    await expect(limits.admit({ userId: 'u1' })).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
      metadata: { scope: 'user', period: 'daily', capUsd: 1, spentUsd: 1.25 },
    });
    expect((await rateLimiter.headroom({ userId: 'u1' }))[0]).toMatchObject({ kind: 'requests', used: 1 });
  });

  it('reports a rate limit before a budget when both refuse', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 1, tpm: 0 }, { rpm: 0, tpm: 0 }, 1);
    await limits.admit({ userId: 'u1' });
    limits.record({ userId: 'u1' }, 10, 2);
    await expect(limits.admit({ userId: 'u1' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('fails open when the counter store fails', async () => {
    const broken: CounterStore = {
      check: () => Promise.reject(new Error('redis down')),
      read: () => Promise.reject(new Error('redis down')),
      add: () => Promise.reject(new Error('redis down')),
      flush: () => Promise.reject(new Error('redis down')),
      admissions: () => ({ checked: 0, leased: 0 }),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const { limits } = limitsOf(broken, { rpm: 2, tpm: 100 }, { rpm: 3, tpm: 0 }, 5);
    await expect(limits.admit({ userId: 'u1' })).resolves.toBeUndefined();
    expect(() => limits.record({ userId: 'u1' }, 10, 0.5)).not.toThrow();
    await expect(limits.flush()).resolves.toBeUndefined();
  });

  it('never lets a store that throws at once turn a finished call into an error', () => {
    const throwing = Object.assign(new MemoryCounterStore(), {
      add: () => {
        throw new Error('store bug');
      },
    });
    const { limits } = limitsOf(throwing, { rpm: 2, tpm: 100 }, { rpm: 3, tpm: 0 }, 5);
    expect(() => limits.record({ userId: 'u1' }, 10, 0.5)).not.toThrow();
  });

  it('counts spend against the new day’s budget from UTC midnight, for a subject seen the day before', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 0, tpm: 0 }, { rpm: 0, tpm: 0 }, 1);
    const lateEvening = new Date('2026-11-30T23:59:00Z');
    const midnight = new Date('2026-12-01T00:00:00Z');
    await limits.admit({ userId: 'u1' }, lateEvening);
    limits.record({ userId: 'u1' }, 10, 1.5, lateEvening);
    await expect(limits.admit({ userId: 'u1' }, lateEvening)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await expect(limits.admit({ userId: 'u1' }, midnight)).resolves.toBeUndefined();
    limits.record({ userId: 'u1' }, 10, 1, midnight);
    await expect(limits.admit({ userId: 'u1' }, midnight)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', metadata: { spentUsd: 1 } });
  });

  it('keeps users and organizations apart whatever their ids spell together', async () => {
    const { limits } = limitsOf(new MemoryCounterStore(), { rpm: 1, tpm: 0 }, { rpm: 0, tpm: 0 });
    await limits.admit({ userId: 'ab', orgId: 'c' });
    await expect(limits.admit({ userId: 'a', orgId: 'bc' })).resolves.toBeUndefined();
    await expect(limits.admit({ userId: 'abc' })).resolves.toBeUndefined();
    await expect(limits.admit({ userId: 'ab', orgId: 'c' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
