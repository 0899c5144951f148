import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ThrottledWarning, type Clock } from '@app/common';
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

/** A counter's value and time to live, in one command (a MULTI would be four writes on the socket). */
const READ = `
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}
`;

/** A command slower than this counts as Redis being unreachable (loopback or LAN round trips take well under 1 ms). */
const COMMAND_TIMEOUT_MS = 100;
/** After a failure, Redis is left alone this long: calls fail open at once instead of each waiting on it. */
const PAUSE_AFTER_FAILURE_MS = 1_000;
const WARNING_INTERVAL_MS = 10_000;

/** The two scripts as ioredis commands: sent by SHA (EVALSHA, loaded once), not as source on every call. */
interface CounterCommands {
  counterTake(key: string, limit: number, windowMs: number): Promise<[number, number]>;
  counterAdd(key: string, amount: number, windowMs: number): Promise<number>;
  counterRead(key: string): Promise<[number, number]>;
}

/**
 * Counters in Redis (REDIS_URL), shared by every replica. Built to fail fast and soft: no offline
 * queue (a command while disconnected fails at once instead of waiting for a reconnect), a short
 * command timeout, and a breaker that skips Redis for PAUSE_AFTER_FAILURE_MS after a failure. The
 * callers (rate limits, budgets) let calls through while it fails; ioredis reconnects on its own
 * and the next command after the pause finds it back.
 */
export class RedisCounterStore implements CounterStore {
  private readonly logger = new Logger('RedisCounterStore');
  private readonly redis: Redis & CounterCommands;
  private readonly outage: ThrottledWarning;
  private pausedUntil = 0;

  constructor(
    url: string,
    private readonly prefix = 'integrations:',
    private readonly now: Clock = Date.now,
  ) {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      // Commands issued in one event-loop turn (every call's limit and budget checks, across
      // concurrent calls) leave in one socket write instead of one write each.
      enableAutoPipelining: true,
    });
    redis.defineCommand('counterTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('counterAdd', { numberOfKeys: 1, lua: ADD });
    redis.defineCommand('counterRead', { numberOfKeys: 1, lua: READ });
    this.redis = redis as Redis & CounterCommands;
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.now);
    // ioredis reports connection failures as 'error' events; without a listener it prints each one.
    this.redis.on('error', (error: Error) => this.noteFailure(error));
    this.redis.on('ready', () => {
      const failures = this.outage.recover();
      if (failures > 0) this.logger.log(`Redis answers again after ${failures} failures`);
    });
  }

  take(key: string, limit: number, windowMs: number): Promise<TakeResult> {
    return this.guarded(async () => {
      const [allowed, ttl] = await this.redis.counterTake(this.prefix + key, limit, windowMs);
      return { allowed: allowed === 1, resetMs: ttl > 0 ? ttl : windowMs };
    });
  }

  read(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    return this.guarded(async () => {
      const [count, ttl] = await this.redis.counterRead(this.prefix + key);
      return { count, resetMs: ttl > 0 ? ttl : windowMs };
    });
  }

  async add(key: string, amount: number, windowMs: number): Promise<void> {
    if (amount <= 0) return;
    await this.guarded(() => this.redis.counterAdd(this.prefix + key, Math.round(amount), windowMs));
  }

  /**
   * Waits (at most `timeoutMs`) for the first connection. Without an offline queue, commands sent
   * before it would fail and pause counting for the first second: boot waits instead. Redis still
   * down at boot is not fatal: limits fail open until it comes.
   */
  async ready(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.redis.once('ready', () => resolve())),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    if ((this.redis.status as string) !== 'ready')
      this.logger.warn(`Redis is not reachable at boot; limits and budgets let calls through until it is`);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async guarded<T>(command: () => Promise<T>): Promise<T> {
    if (this.now() < this.pausedUntil) throw new Error('Redis is paused after a failure');
    try {
      return await command();
    } catch (error) {
      this.pausedUntil = this.now() + PAUSE_AFTER_FAILURE_MS;
      this.noteFailure(error);
      throw error;
    }
  }

  private noteFailure(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.outage.note((failures) => `Redis is unreachable (${reason}); limits and budgets let calls through (${failures} failures so far)`);
  }
}
