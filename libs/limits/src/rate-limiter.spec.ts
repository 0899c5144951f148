import { describe, expect, it } from '@jest/globals';
import type { LimitsConfig } from './limits.config.js';
import type { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter.store.js';
import { RateLimiter } from './rate-limiter.js';

function limiter(store: CounterStore, user = { rpm: 2, tpm: 100 }, org = { rpm: 3, tpm: 0 }): RateLimiter {
  return new RateLimiter(store, { user, org } as LimitsConfig);
}

describe('RateLimiter', () => {
  it('refuses the request over a user’s requests per minute with RATE_LIMITED and a wait', async () => {
    const subject = limiter(new MemoryCounterStore());
    await subject.admit({ userId: 'u1' });
    await subject.admit({ userId: 'u1' });
    await expect(subject.admit({ userId: 'u1' })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    await expect(subject.admit({ userId: 'u2' })).resolves.toBeUndefined();
  });

  it('counts an organization across its users', async () => {
    const subject = limiter(new MemoryCounterStore(), { rpm: 0, tpm: 0 });
    for (const userId of ['a', 'b', 'c']) await subject.admit({ userId, orgId: 'o1' });
    await expect(subject.admit({ userId: 'd', orgId: 'o1' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts a call refused by one limit against none of the others', async () => {
    const subject = limiter(new MemoryCounterStore(), { rpm: 5, tpm: 0 }, { rpm: 1, tpm: 0 });
    await subject.admit({ userId: 'a', orgId: 'o1' });
    await expect(subject.admit({ userId: 'b', orgId: 'o1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('1 requests per minute for this org'),
    });
    const headroom = await subject.headroom({ userId: 'b', orgId: 'o1' });
    expect(headroom.find((entry) => entry.scope === 'user')).toMatchObject({ kind: 'requests', used: 0, remaining: 5 });
  });

  it('refuses the next call once the tokens recorded reach the per-minute budget', async () => {
    const subject = limiter(new MemoryCounterStore(), { rpm: 0, tpm: 100 });
    await subject.admit({ userId: 'u1' });
    await subject.recordTokens({ userId: 'u1' }, 100);
    await expect(subject.admit({ userId: 'u1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('tokens per minute'),
    });
  });

  it('fails open when the counter store fails', async () => {
    const broken: CounterStore = {
      check: () => Promise.reject(new Error('redis down')),
      read: () => Promise.reject(new Error('redis down')),
      add: () => Promise.reject(new Error('redis down')),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    await expect(limiter(broken).admit({ userId: 'u1' })).resolves.toBeUndefined();
    await expect(limiter(broken).recordTokens({ userId: 'u1' }, 10)).resolves.toBeUndefined();
  });
});
