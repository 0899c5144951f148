import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisCounterStore } from '@app/limits';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The Redis scripts themselves, against the real Redis: what every replica's limits rely on. */
describe('RedisCounterStore (real Redis)', () => {
  let store: RedisCounterStore;
  const key = (name: string) => `${name}:${randomUUID()}`;

  beforeAll(async () => {
    store = new RedisCounterStore(REDIS_URL, 'integrations-test:');
    await store.ready(2_000);
  });

  afterAll(async () => {
    await store.close();
  });

  it('counts the counters marked take while every one is below its limit', async () => {
    const [user, org, tokens] = [key('user'), key('org'), key('tokens')];
    const checks = [
      { key: tokens, limit: 100, windowMs: 60_000, take: false },
      { key: user, limit: 2, windowMs: 60_000, take: true },
      { key: org, limit: 5, windowMs: 60_000, take: true },
    ];
    expect(await store.check(checks)).toEqual({ allowed: true });
    expect(await store.check(checks)).toEqual({ allowed: true });
    const refused = await store.check(checks);
    expect(refused).toMatchObject({ allowed: false, blocked: 1, count: 2 });
    expect(refused.allowed === false && refused.resetMs).toBeGreaterThan(59_000);
    // The refused call counted against none of them; the check-only counter was never counted.
    const [tokenCount, userCount, orgCount] = await store.read(checks);
    expect([tokenCount.count, userCount.count, orgCount.count]).toEqual([0, 2, 2]);
  });

  it('adds amounts with their windows, and refuses once a check-only counter reaches its limit', async () => {
    const [tokens, spend] = [key('tokens'), key('spend')];
    await store.add([
      { key: tokens, amount: 60, windowMs: 60_000 },
      { key: spend, amount: 1_500, windowMs: 86_400_000 },
    ]);
    await store.add([{ key: tokens, amount: 40, windowMs: 60_000 }]);
    const [tokenCount, spendCount] = await store.read([
      { key: tokens, windowMs: 60_000 },
      { key: spend, windowMs: 86_400_000 },
    ]);
    expect(tokenCount).toMatchObject({ count: 100 });
    expect(tokenCount.resetMs).toBeLessThanOrEqual(60_000);
    expect(spendCount).toMatchObject({ count: 1_500 });
    expect(spendCount.resetMs).toBeGreaterThan(60_000);
    expect(await store.check([{ key: tokens, limit: 100, windowMs: 60_000, take: false }])).toMatchObject({
      allowed: false,
      blocked: 0,
      count: 100,
    });
  });

  it('reads a counter never written as zero with the whole window ahead', async () => {
    expect(await store.read([{ key: key('unseen'), windowMs: 60_000 }])).toEqual([{ count: 0, resetMs: 60_000 }]);
  });
});
