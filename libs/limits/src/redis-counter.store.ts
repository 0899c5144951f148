import { Redis } from 'ioredis';
import type { CounterStore, TakeResult } from './counter-store.js';

/** Check-and-increment in one round trip, atomically: no two replicas can both take the last slot. */
const TAKE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if count >= tonumber(ARGV[1]) then
  return {0, ttl}
end
count = redis.call('INCR', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {1, ttl}
`;

const ADD = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
`;

/** Counters in Redis (REDIS_URL), shared by every replica. */
export class RedisCounterStore implements CounterStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'integrations:') {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  }

  async take(key: string, limit: number, windowMs: number): Promise<TakeResult> {
    const [allowed, ttl] = (await this.redis.eval(TAKE, 1, this.prefix + key, limit, windowMs)) as [number, number];
    return { allowed: allowed === 1, resetMs: ttl > 0 ? ttl : windowMs };
  }

  async read(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [[, count], [, ttl]] = (await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec()) as [[unknown, string | null], [unknown, number]];
    return { count: Number(count ?? 0), resetMs: ttl > 0 ? ttl : windowMs };
  }

  async add(key: string, amount: number, windowMs: number): Promise<void> {
    if (amount <= 0) return;
    await this.redis.eval(ADD, 1, this.prefix + key, Math.round(amount), windowMs);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
