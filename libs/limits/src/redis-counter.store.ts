import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ThrottledWarning, type Clock } from '@app/common';
import type { CheckResult, CounterAddition, CounterCheck, CounterStore } from './counter-store.js';

/**
 * All of a call's counters checked, and those to take counted, in one script run: atomic, so no two
 * replicas can both take the last slot. ARGV holds limit, window and take (1/0) per key. Returns
 * {0} when allowed, else {index (1-based), count, ttl} of the first counter at its limit.
 */
const CHECK = `
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[3 * i - 2]) then
    return {i, count, redis.call('PTTL', key)}
  end
end
for i, key in ipairs(KEYS) do
  if ARGV[3 * i] == '1' then
    if redis.call('INCR', key) == 1 or redis.call('PTTL', key) < 0 then
      redis.call('PEXPIRE', key, ARGV[3 * i - 1])
    end
  end
end
return {0}
`;

/** Adds ARGV's amount to each key (amount and window per key). */
const ADD = `
for i, key in ipairs(KEYS) do
  if redis.call('INCRBY', key, ARGV[2 * i - 1]) == tonumber(ARGV[2 * i - 1]) or redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ARGV[2 * i])
  end
end
return 0
`;

/** Each key's value and time to live, flat: {count1, ttl1, count2, ttl2, ...}. */
const READ = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = tonumber(redis.call('GET', key) or '0')
  out[2 * i] = redis.call('PTTL', key)
end
return out
`;

/** A command slower than this counts as Redis being unreachable (loopback or LAN round trips take well under 1 ms). */
const COMMAND_TIMEOUT_MS = 100;
/** After a failure, Redis is left alone this long: calls fail open at once instead of each waiting on it. */
const PAUSE_AFTER_FAILURE_MS = 1_000;
const WARNING_INTERVAL_MS = 10_000;

/**
 * The scripts as ioredis commands, sent by SHA (EVALSHA, loaded once), not as source on every call:
 * the number of keys, then the keys, then the arguments.
 */
interface CounterCommands {
  counterCheck(...keysThenArguments: Array<string | number>): Promise<number[]>;
  counterAdd(...keysThenArguments: Array<string | number>): Promise<number>;
  counterRead(...keysThenArguments: Array<string | number>): Promise<number[]>;
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
    // A call's keys (its user's and its org's) are passed together, so they must live on one Redis
    // node: REDIS_URL names one server (or a primary), not a cluster.
    redis.defineCommand('counterCheck', { lua: CHECK });
    redis.defineCommand('counterAdd', { lua: ADD });
    redis.defineCommand('counterRead', { lua: READ });
    this.redis = redis as Redis & CounterCommands;
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.now);
    // ioredis reports connection failures as 'error' events; without a listener it prints each one.
    this.redis.on('error', (error: Error) => this.noteFailure(error));
    this.redis.on('ready', () => {
      const failures = this.outage.recover();
      if (failures > 0) this.logger.log(`Redis answers again after ${failures} failures`);
    });
  }

  check(checks: readonly CounterCheck[]): Promise<CheckResult> {
    if (checks.length === 0) return Promise.resolve({ allowed: true });
    return this.guarded(async () => {
      const [blocked, count, ttl] = await this.redis.counterCheck(
        checks.length,
        ...checks.map(({ key }) => this.prefix + key),
        ...checks.flatMap(({ limit, windowMs, take }) => [limit, windowMs, take ? 1 : 0]),
      );
      if (!blocked) return { allowed: true };
      const windowMs = checks[blocked - 1].windowMs;
      return { allowed: false, blocked: blocked - 1, count: count, resetMs: ttl > 0 ? ttl : windowMs };
    });
  }

  read(counters: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Array<{ count: number; resetMs: number }>> {
    if (counters.length === 0) return Promise.resolve([]);
    return this.guarded(async () => {
      const flat = await this.redis.counterRead(counters.length, ...counters.map(({ key }) => this.prefix + key));
      return counters.map(({ windowMs }, index) => {
        const ttl = flat[2 * index + 1];
        return { count: flat[2 * index], resetMs: ttl > 0 ? ttl : windowMs };
      });
    });
  }

  async add(additions: readonly CounterAddition[]): Promise<void> {
    const counted = additions.filter(({ amount }) => amount > 0);
    if (counted.length === 0) return;
    await this.guarded(() =>
      this.redis.counterAdd(
        counted.length,
        ...counted.map(({ key }) => this.prefix + key),
        ...counted.flatMap(({ amount, windowMs }) => [Math.round(amount), windowMs]),
      ),
    );
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
