import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ThrottledWarning, unrefTimeout, type Clock, type Schedule, type ScheduledTask } from '@app/common';
import { AdmissionLeases, type UnusedSlots } from './admission-leases.js';
import type { CheckResult, CounterAddition, CounterAdmissions, CounterCheck, CounterStore } from './counter-store.js';

/** Slots taken ahead are at most this fraction (1/n) of what is left of a limit. */
const LEASE_SHARE = 16;

/**
 * The checks of every call that arrived in one event-loop turn, in one script run: each call's
 * counters checked, and those to take counted when none is at its limit, call after call in arrival
 * order, atomically (no two replicas can both take the last slot). An allowed call may also take
 * slots ahead for its subject's next calls (AdmissionLeases): as many as it asks for, but at most a
 * LEASE_SHARE-th of what is left of each counted limit, and none while a checked-only counter is
 * within a LEASE_SHARE-th of its limit. Additions held back since the last run (earlier calls'
 * tokens and spend) ride along and are applied first; with no call, it only applies them.
 * KEYS: each call's checked counters, call after call.
 * ARGV: the number of calls; the number of distinct check lists, then each list as a JSON array
 * ([limit, window, take] per counter, flat: calls under the same rules share one); the list of each
 * call (1-based); the slots each call asks for ahead (negated for a lease's renewal, which takes
 * them without a slot for a call of its own); then the additions as a JSON array ([key, amount,
 * window] per added counter, flat).
 * The added counters' names travel in that one argument, not as KEYS: a quarter second's additions
 * touch a counter per user and org met, thousands at a time, and ioredis encoding each as an argument
 * held the event loop for a millisecond or more per run (bench/README.md). Redis runs such a script
 * alike on one server, which is what REDIS_URL names (the store is not for a cluster).
 * Few arguments per call: building and parsing arguments, not the counting, was the cost. Lists are
 * JSON for Redis's cjson.decode (C) to read: taking space-separated text apart in Lua with
 * string.gmatch and tonumber was a third of the script's time in Redis (bench/README.md). A call's
 * counters are read with one MGET: every redis.call from Lua costs about as much as the command.
 * Returns three numbers per call: {0, slots taken ahead, ms left in its shortest counted window
 * (-1: none, or no slot taken)} when allowed, else {index (1-based), count, ttl} of its first
 * counter at its limit.
 */
const CHECK = `
local function numbers(json)
  if json == nil or json == '' then return {} end
  return cjson.decode(json)
end
local calls, lists = tonumber(ARGV[1]), tonumber(ARGV[2])
local checks = {}
for l = 1, lists do checks[l] = numbers(ARGV[2 + l]) end
local layout, keyAt = {}, 1
for c = 1, calls do
  local list = checks[tonumber(ARGV[2 + lists + c])]
  layout[c] = {list, keyAt, tonumber(ARGV[2 + lists + calls + c])}
  keyAt = keyAt + #list / 3
end
local added = numbers(ARGV[3 + lists + 2 * calls])
for j = 1, #added, 3 do
  local key, amount = added[j], added[j + 1]
  if redis.call('INCRBY', key, amount) == amount or redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, added[j + 2])
  end
end
local out = {}
for c = 1, calls do
  local list, keys, ahead = layout[c][1], layout[c][2], layout[c][3]
  local own = 1
  if ahead < 0 then own, ahead = 0, -ahead end
  local n = #list / 3
  out[3 * c - 2], out[3 * c - 1], out[3 * c] = 0, 0, -1
  local counts = redis.call('MGET', unpack(KEYS, keys, keys + n - 1))
  for i = 0, n - 1 do
    local limit = list[3 * i + 1]
    local count = tonumber(counts[i + 1] or '0')
    if count >= limit then
      out[3 * c - 2], out[3 * c - 1], out[3 * c] = i + 1, count, redis.call('PTTL', KEYS[keys + i])
      break
    end
    local room = 0
    if list[3 * i + 3] == 1 then room = math.floor((limit - count - 1) / ${LEASE_SHARE})
    elseif (limit - count) * ${LEASE_SHARE} >= limit then room = ahead end
    if room < ahead then ahead = room end
  end
  if out[3 * c - 2] == 0 then
    local windowLeft = -1
    for i = 0, n - 1 do
      local key = KEYS[keys + i]
      if list[3 * i + 3] == 1 and own + ahead > 0 then
        if redis.call('INCRBY', key, own + ahead) == own + ahead or redis.call('PTTL', key) < 0 then
          redis.call('PEXPIRE', key, list[3 * i + 2])
        end
        if ahead > 0 then
          local ttl = redis.call('PTTL', key)
          if windowLeft < 0 or ttl < windowLeft then windowLeft = ttl end
        end
      end
    end
    out[3 * c - 1], out[3 * c] = ahead, windowLeft
  end
end
return out
`;

/**
 * Slots leased ahead and not used, given back to their counters, each only while the window they
 * were taken in still runs: a counter whose time to live is longer than its window minus the time
 * since the slots were taken started after them (a newer window), and is left alone.
 * KEYS: the counters; ARGV[1]: [slots, longestTtl] per counter, as a flat JSON array.
 */
const GIVE_BACK = `
local args = cjson.decode(ARGV[1])
for i, key in ipairs(KEYS) do
  local slots, longestTtl = args[2 * i - 1], args[2 * i]
  local ttl = redis.call('PTTL', key)
  if ttl > 0 and ttl <= longestTtl and tonumber(redis.call('GET', key) or '0') >= slots then
    redis.call('DECRBY', key, slots)
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

/** How often the unused slots of lapsed leases are given back. */
const GIVE_BACK_INTERVAL_MS = 1_000;
/**
 * At most this many counters per give-back script run. Thousands of leases can lapse together (a
 * load that stops); in one run they held Redis for tens of milliseconds, and every replica's checks
 * waited behind it.
 */
export const GIVE_BACK_RUN_COUNTERS = 256;

const ALLOWED: Promise<CheckResult> = Promise.resolve({ allowed: true });

/** A command slower than this counts as Redis being unreachable (loopback or LAN round trips take well under 1 ms); REDIS_COMMAND_TIMEOUT_MS's default. */
export const COMMAND_TIMEOUT_MS = 100;
/** After a failure, Redis is probed this often, off every caller's path, until it answers. */
const PROBE_INTERVAL_MS = 1_000;
const WARNING_INTERVAL_MS = 10_000;
/**
 * Additions wait at most this long for the next check to carry them; with no call coming, they are
 * sent on their own. Under load checks carry them long before; when calls are few and leased, this
 * sets how often a script runs that adds to every counter touched meanwhile (four per call), and
 * each run takes Redis's and the gateway's CPU for a moment in which a call in flight waits. Fewer,
 * larger runs delay fewer calls for the same work; a quarter of a second of lag does not change
 * what a per-minute or per-day limit decides.
 */
const ADDITIONS_HELD_MS = 250;
/**
 * A lease's renewal, which no call waits on, is held back at most this long (and no longer than
 * half the time the lease's slots last at its subject's pace), to go in one script run with the
 * other renewals, checks and additions of that time: at one call at a time, with each caller calling
 * every second or so, nearly every other call sent a renewal of its own, one round trip each.
 */
const RENEWALS_HELD_MS = 100;
/** Renewals held back are sent at once when this many are waiting, so no run grows long. */
const RENEWALS_PER_RUN = 64;

/**
 * Additions held back, merged per counter, and the promise their senders wait on. Counters are held
 * by their unprefixed names: callers pass the same name strings on every call, so holding one is a
 * lookup of a string already hashed, not of a new prefixed one.
 */
class HeldAdditions {
  readonly byKey = new Map<string, { amount: number; windowMs: number }>();
  readonly written: Promise<void>;
  settle!: (error?: unknown) => void;
  timer: ScheduledTask | undefined;

  constructor() {
    this.written = new Promise<void>((resolve, reject) => {
      this.settle = (error) =>
        error === undefined ? resolve() : reject(error instanceof Error ? error : new Error('the counter store failed'));
    });
    // Nobody may be waiting: a lost addition is already reported as Redis's outage.
    this.written.catch(() => undefined);
  }

  merge(key: string, amount: number, windowMs: number): void {
    const held = this.byKey.get(key);
    if (held) held.amount += amount;
    else this.byKey.set(key, { amount, windowMs });
  }

  /** Key (with `prefix`), amount and window per counter, as the check script takes them: [key, amount, window, key, …]. */
  argument(prefix: string): string {
    const values: Array<string | number> = [];
    for (const [key, { amount, windowMs }] of this.byKey) values.push(prefix + key, amount, windowMs);
    return JSON.stringify(values);
  }
}

/** A call's prefixed keys, and its counters' limits, windows and takes as the check script's text. */
interface CallArguments {
  keys: string[];
  list: string;
}

/**
 * A call's checks waiting for the end of the event-loop turn, and its answer's callbacks; or a
 * lease's renewal (no call waits on it: its answer goes to the leases).
 */
interface PendingCheck {
  checks: readonly CounterCheck[];
  /** Slots asked for ahead of the subject's next calls. */
  ahead: number;
  renewal: boolean;
  resolve: (result: CheckResult) => void;
  reject: (error: unknown) => void;
}

const ignore = () => undefined;

/**
 * The scripts as ioredis commands, sent by SHA (EVALSHA, loaded once), not as source on every call:
 * the number of keys, then the keys, then the arguments.
 */
interface CounterCommands {
  counterCheck(...keysThenArguments: Array<string | number>): Promise<number[]>;
  counterGiveBack(...keysThenArguments: Array<string | number>): Promise<number>;
  counterRead(...keysThenArguments: Array<string | number>): Promise<number[]>;
}

export interface RedisCounterStoreOptions {
  /** Put before every key (replicas of one deployment share it). */
  prefix?: string;
  now?: Clock;
  /** 0 (default): every call is checked in Redis; else steady callers' calls are admitted from slots leased ahead, their counters re-read every leaseMs (AdmissionLeases). */
  leaseMs?: number;
  /** After a failure, how often a PING checks whether Redis answers again (PROBE_INTERVAL_MS). */
  probeIntervalMs?: number;
  /** How long a command may go unanswered before it counts as a failure (COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /**
   * How the store's waits are timed (unrefTimeout): renewals and additions held back, and the probe
   * after a failure. Tests pass their own, to say when that time has passed.
   */
  schedule?: Schedule;
}

/**
 * Counters in Redis (REDIS_URL), shared by every replica. Built to fail fast and soft: no offline
 * queue (a command while disconnected fails at once instead of waiting for a reconnect), a short
 * command timeout, and after a failure no command at all until a PING, sent every
 * probeIntervalMs off every caller's path, is answered: the callers (rate limits, budgets) let
 * calls through meanwhile without waiting, even on a Redis that hangs instead of refusing
 * (where each command would wait out the timeout). ioredis reconnects on its own.
 */
export class RedisCounterStore implements CounterStore {
  private readonly logger = new Logger('RedisCounterStore');
  private readonly redis: Redis & CounterCommands;
  private readonly outage: ThrottledWarning;
  /** Since a command failed and until a probe is answered: commands fail at once. */
  private unreachable = false;
  private probeTimer: ScheduledTask | undefined;
  private closed = false;
  private readonly probeIntervalMs: number;
  private held: HeldAdditions | undefined;
  /** Additions taken to be sent (with a check or on their own) and not yet written: `flush()` waits for them. */
  private readonly sending = new Set<Promise<void>>();
  /** What runChecks derives from a check array (CallLimits passes a subject's same array on every call). */
  private readonly prepared = new WeakMap<readonly CounterCheck[], CallArguments>();
  /** Checks made in this event-loop turn (and renewals held back), sent together at its end. */
  private pendingChecks: PendingCheck[] = [];
  /** Settles once the latest checks sent (or about to be) are answered; sendChecks never rejects. */
  private checksAnswered: Promise<void> | undefined;
  /** Hands the pending checks' answer to `checksAnswered`. */
  private answerPending: ((sent: Promise<void>) => void) | undefined;
  /** The pending checks go at the end of this turn; else, while `renewalTimer` is set, when it fires (renewals alone). */
  private sendAtTurnEndScheduled = false;
  private renewalTimer: ScheduledTask | undefined;
  /** `performance.now()` at which `renewalTimer` fires. */
  private renewalsDueAt = Infinity;
  private readonly leases: AdmissionLeases;
  private readonly decided: CounterAdmissions = { checked: 0, leased: 0 };
  private giveBackTimer: NodeJS.Timeout | undefined;

  private readonly prefix: string;
  private readonly now: Clock;
  private readonly schedule: Schedule;

  constructor(url: string, options: RedisCounterStoreOptions = {}) {
    this.prefix = options.prefix ?? 'integrations:';
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? unrefTimeout;
    this.probeIntervalMs = options.probeIntervalMs ?? PROBE_INTERVAL_MS;
    this.leases = new AdmissionLeases(options.leaseMs ?? 0, this.now);
    if (options.leaseMs) {
      this.giveBackTimer = setInterval(() => void this.giveBackLapsedSlots(), GIVE_BACK_INTERVAL_MS);
      this.giveBackTimer.unref();
    }
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      // No auto-pipelining: the store already sends one turn's checks as one command, and ioredis
      // would hold that command back one more event-loop turn and wrap it in a pipeline of one.
      enableAutoPipelining: false,
    });
    // A call's keys (its user's and its org's) are passed together, so they must live on one Redis
    // node: REDIS_URL names one server (or a primary), not a cluster.
    redis.defineCommand('counterCheck', { lua: CHECK });
    redis.defineCommand('counterRead', { lua: READ });
    redis.defineCommand('counterGiveBack', { lua: GIVE_BACK });
    this.redis = redis as Redis & CounterCommands;
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, this.now);
    // ioredis reports connection failures as 'error' events; without a listener it prints each one.
    this.redis.on('error', (error: Error) => this.noteFailure(error));
    this.redis.on('ready', () => {
      const failures = this.outage.recover();
      if (failures > 0) this.logger.log(`Redis answers again after ${failures} failures`);
    });
  }

  /**
   * A call with a slot leased ahead is admitted at once (and, when the lease runs low, its renewal
   * goes to the store without the call waiting for it, held back while the lease's slots last, up to
   * RENEWALS_HELD_MS, to go with others). Other checks wait for the end of this
   * event-loop turn and go in one script run with every other check made in it (and the additions
   * held back): one round trip for all the calls that arrived together.
   */
  check(checks: readonly CounterCheck[]): Promise<CheckResult> {
    if (checks.length === 0) return ALLOWED;
    if (this.leases.tryAdmit(checks)) {
      this.decided.leased++;
      const ahead = this.leases.renewal(checks);
      if (ahead > 0)
        this.enqueue({ checks, ahead, renewal: true, resolve: ignore, reject: ignore }, this.leases.renewalSlackMs(checks) / 2);
      return ALLOWED;
    }
    this.decided.checked++;
    return new Promise<CheckResult>((resolve, reject) =>
      this.enqueue({ checks, ahead: this.leases.wanted(checks), renewal: false, resolve, reject }),
    );
  }

  /**
   * Queues a check for the end of this turn; a renewal alone may wait up to `mayWaitMs` (at most
   * RENEWALS_HELD_MS) for other checks to go with.
   */
  private enqueue(pending: PendingCheck, mayWaitMs = 0): void {
    if (this.pendingChecks.length === 0) this.checksAnswered = new Promise((answered) => (this.answerPending = answered));
    this.pendingChecks.push(pending);
    if (this.sendAtTurnEndScheduled) return;
    const waitMs = Math.min(RENEWALS_HELD_MS, mayWaitMs);
    if (!pending.renewal || waitMs < 1 || this.pendingChecks.length >= RENEWALS_PER_RUN) return this.sendAtTurnEnd();
    const dueAt = performance.now() + waitMs;
    if (this.renewalsDueAt <= dueAt) return;
    this.renewalTimer?.cancel();
    this.renewalsDueAt = dueAt;
    this.renewalTimer = this.schedule(() => this.sendPending(), waitMs);
  }

  /**
   * Sends the pending checks at the end of this turn. Renewals alone (no call waits on them) go one
   * turn later, so the calls admitted from their leases send their own requests first: undici writes
   * a request on a kept-alive connection from an Immediate of its own, queued after this one.
   */
  private sendAtTurnEnd(): void {
    this.clearRenewalTimer();
    this.sendAtTurnEndScheduled = true;
    setImmediate(() => {
      if (this.pendingChecks.some(({ renewal }) => !renewal)) this.sendPending();
      else setImmediate(() => this.sendPending());
    });
  }

  private sendPending(): void {
    this.clearRenewalTimer();
    this.sendAtTurnEndScheduled = false;
    const answered = this.answerPending;
    this.answerPending = undefined;
    answered?.(this.sendChecks());
  }

  private clearRenewalTimer(): void {
    this.renewalTimer?.cancel();
    this.renewalTimer = undefined;
    this.renewalsDueAt = Infinity;
  }

  private async sendChecks(): Promise<void> {
    const calls = this.pendingChecks;
    this.pendingChecks = [];
    try {
      const answer = await this.guarded(() => this.runChecks(calls, this.takeHeld()));
      calls.forEach(({ checks, renewal, resolve }, index) => {
        const [blocked, countOrSlots, ttl] = answer.slice(3 * index, 3 * index + 3);
        if (blocked) {
          this.leases.refused(checks, checks[blocked - 1].take);
          if (!renewal)
            resolve({ allowed: false, blocked: blocked - 1, count: countOrSlots, resetMs: ttl > 0 ? ttl : checks[blocked - 1].windowMs });
        } else if (renewal) this.leases.renewed(checks, countOrSlots, ttl);
        else {
          this.leases.allowed(checks, countOrSlots, ttl);
          resolve({ allowed: true });
        }
      });
    } catch (error) {
      for (const { checks, renewal, reject } of calls) {
        if (renewal) this.leases.renewalFailed(checks);
        else reject(error);
      }
    }
  }

  /** One run of the check script: `held` applied first, then the calls' checks; `held` settles with it. */
  private async runChecks(calls: readonly PendingCheck[], held: HeldAdditions | undefined): Promise<number[]> {
    const keys: string[] = [];
    const lists = new Map<string, number>();
    const listOfCall: number[] = [];
    for (const { checks } of calls) {
      const { list, keys: callKeys } = this.argumentsOf(checks);
      for (const key of callKeys) keys.push(key);
      let index = lists.get(list);
      if (index === undefined) lists.set(list, (index = lists.size + 1));
      listOfCall.push(index);
    }
    try {
      const flat = await this.redis.counterCheck(
        keys.length,
        ...keys,
        calls.length,
        lists.size,
        ...lists.keys(),
        ...listOfCall,
        ...calls.map(({ ahead, renewal }) => (renewal ? -ahead : ahead)),
        held?.argument(this.prefix) ?? '',
      );
      held?.settle();
      return flat;
    } catch (error) {
      held?.settle(error);
      throw error;
    }
  }

  /** A call's keys and check list as the script takes them; kept for check arrays a caller passes again. */
  private argumentsOf(checks: readonly CounterCheck[]): CallArguments {
    let prepared = this.prepared.get(checks);
    if (!prepared) {
      const list = JSON.stringify(checks.flatMap(({ limit, windowMs, take }) => [limit, windowMs, take ? 1 : 0]));
      prepared = { list, keys: checks.map(({ key }) => this.prefix + key) };
      this.prepared.set(checks, prepared);
    }
    return prepared;
  }

  admissions(): CounterAdmissions {
    return { ...this.decided };
  }

  async read(counters: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Array<{ count: number; resetMs: number }>> {
    if (counters.length === 0) return [];
    await this.flush().catch(() => undefined);
    return this.guarded(async () => {
      const flat = await this.redis.counterRead(counters.length, ...counters.map(({ key }) => this.prefix + key));
      return counters.map(({ windowMs }, index) => {
        const ttl = flat[2 * index + 1];
        return { count: flat[2 * index], resetMs: ttl > 0 ? ttl : windowMs };
      });
    });
  }

  /**
   * Held back, merged per counter, for the next check to carry (no script run of their own), or sent
   * on their own after ADDITIONS_HELD_MS. Resolves once written.
   */
  add(additions: readonly CounterAddition[]): Promise<void> {
    let held: HeldAdditions | undefined;
    for (const { key, amount, windowMs } of additions) {
      if (!(amount > 0)) continue;
      held ??= this.held ??= this.holdAdditions();
      held.merge(key, Math.round(amount), windowMs);
    }
    return held ? held.written : Promise.resolve();
  }

  /**
   * Sends the additions held back now (the check script with no call), and waits for those already
   * on their way and for the checks already queued (leases' renewals among them) to be answered.
   */
  async flush(): Promise<void> {
    if (this.renewalTimer) this.sendAtTurnEnd(); // renewals held back go now
    const sending = [...this.sending];
    const checksAnswered = this.checksAnswered;
    const held = this.takeHeld();
    if (held) {
      await this.guarded(() => this.runChecks([], held)).catch((error: unknown) => {
        held.settle(error); // refused while Redis is unreachable: lost, as any command is while Redis is down
        throw error;
      });
    }
    await Promise.all(sending);
    await checksAnswered;
  }

  /**
   * Waits (at most `timeoutMs`) for the first connection. Without an offline queue, commands sent
   * before it would fail and stop counting until a probe is answered: boot waits instead. Redis still
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

  /**
   * Gives the unused slots of lapsed leases back to their counters (`all`: of every lease, as at
   * shutdown), in runs of at most GIVE_BACK_RUN_COUNTERS counters sent one after another, so that
   * Redis, which runs one script at a time, answers other callers (every replica's checks) between
   * them. Run every GIVE_BACK_INTERVAL_MS; never rejects (slots not given back lapse with their
   * windows, as they would have without it).
   */
  async giveBackLapsedSlots(all = false): Promise<void> {
    const unused = this.leases.lapsed(all);
    if (unused.length === 0) return;
    for (const { keys, argument } of this.giveBackRuns(unused)) {
      try {
        await this.guarded(() => this.redis.counterGiveBack(keys.length, ...keys, argument));
      } catch {
        return; // Redis is failing: the rest lapse with their windows too
      }
    }
  }

  /** The counted counters of lapsed leases with their slots, as give-back script runs (none for checked-only limits, which took nothing). */
  private giveBackRuns(unused: readonly UnusedSlots[]): Array<{ keys: string[]; argument: string }> {
    const runs: Array<{ keys: string[]; argument: string }> = [];
    let keys: string[] = [];
    let values: number[] = [];
    for (const { checks, slots, takenMsAgo } of unused) {
      const prefixedKeys = this.argumentsOf(checks).keys;
      checks.forEach(({ take, windowMs }, index) => {
        if (!take) return;
        keys.push(prefixedKeys[index]);
        values.push(slots, windowMs - takenMsAgo);
        if (keys.length === GIVE_BACK_RUN_COUNTERS) {
          runs.push({ keys, argument: JSON.stringify(values) });
          keys = [];
          values = [];
        }
      });
    }
    if (keys.length > 0) runs.push({ keys, argument: JSON.stringify(values) });
    return runs;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.probeTimer?.cancel();
    clearInterval(this.giveBackTimer);
    await this.giveBackLapsedSlots(true);
    await this.flush().catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private holdAdditions(): HeldAdditions {
    const held = new HeldAdditions();
    held.timer = this.schedule(() => void this.flush().catch(() => undefined), ADDITIONS_HELD_MS);
    return held;
  }

  /** The additions held back, now this caller's to send (or to report lost). */
  private takeHeld(): HeldAdditions | undefined {
    const held = this.held;
    this.held = undefined;
    if (held) {
      held.timer?.cancel();
      const { written } = held;
      this.sending.add(written);
      const sent = () => void this.sending.delete(written);
      written.then(sent, sent);
    }
    return held;
  }

  private async guarded<T>(command: () => Promise<T>): Promise<T> {
    if (this.unreachable) throw new Error('Redis has not answered since a command failed');
    try {
      return await command();
    } catch (error) {
      this.noteFailure(error);
      if (!this.unreachable) {
        this.unreachable = true;
        this.probeLater();
      }
      throw error;
    }
  }

  private probeLater(): void {
    if (this.closed) return;
    this.probeTimer = this.schedule(() => void this.probe(), this.probeIntervalMs);
  }

  /** One PING; commands are sent again once it is answered, else the next probe is scheduled. */
  private async probe(): Promise<void> {
    try {
      await this.redis.ping();
      this.unreachable = false;
    } catch (error) {
      this.noteFailure(error);
      this.probeLater();
    }
  }

  private noteFailure(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.outage.note((failures) => `Redis is unreachable (${reason}); limits and budgets let calls through (${failures} failures so far)`);
  }
}
