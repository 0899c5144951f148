import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { GIVE_BACK_RUN_COUNTERS, HOLD_LEASE_TIMES, RedisCounterStore } from '@app/limits';
import { waitFor } from './support/fake-opstage.js';
import { ManualSchedule } from './support/manual-schedule.js';
import { TcpProxy } from './support/tcp-proxy.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The Redis scripts themselves, against the real Redis: what every replica's limits rely on. */
describe('RedisCounterStore (real Redis)', () => {
  let store: RedisCounterStore;
  /** Redis as another replica sees it. */
  let raw: Redis;
  const key = (name: string) => `${name}:${randomUUID()}`;

  /** A store whose connection to Redis goes through a TcpProxy the test can stall; both closed after `use`. */
  async function withStoreBehindProxy(
    options: ConstructorParameters<typeof RedisCounterStore>[1],
    use: (store: RedisCounterStore, proxy: TcpProxy) => Promise<void>,
  ): Promise<void> {
    const proxy = await TcpProxy.start(Number(new URL(REDIS_URL).port || 6379));
    const store = new RedisCounterStore(`redis://127.0.0.1:${proxy.listeningPort}`, { prefix: 'integrations-test:', ...options });
    try {
      await store.ready(2_000);
      await use(store, proxy);
    } finally {
      await store.close();
      await proxy.stop();
    }
  }

  beforeAll(async () => {
    store = new RedisCounterStore(REDIS_URL, { prefix: 'integrations-test:' });
    await store.ready(2_000);
    raw = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await store.close();
    raw.disconnect();
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
    const written = Promise.all([
      store.add([
        { key: tokens, amount: 60, windowMs: 60_000 },
        { key: spend, amount: 1_500, windowMs: 86_400_000 },
      ]),
      store.add([{ key: tokens, amount: 40, windowMs: 60_000 }]),
    ]);
    // A read writes what is held back first.
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
    await written;
  });

  it('holds additions back for the next check to carry, merged per counter, applied before it checks', async () => {
    const [tokens, otherUsersTokens, user] = [key('tokens'), key('tokens'), key('user')];
    const written = Promise.all([
      store.add([{ key: tokens, amount: 70, windowMs: 60_000 }]),
      store.add([
        { key: tokens, amount: 30, windowMs: 60_000 },
        { key: otherUsersTokens, amount: 5, windowMs: 60_000 },
      ]),
    ]);
    // Past the turn in which a command would have left: nothing was sent on its own.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await raw.get(`integrations-test:${tokens}`)).toBeNull();
    const refused = await store.check([
      { key: tokens, limit: 100, windowMs: 60_000, take: false },
      { key: user, limit: 10, windowMs: 60_000, take: true },
    ]);
    expect(refused).toMatchObject({ allowed: false, blocked: 0, count: 100 });
    await written;
    expect(await raw.get(`integrations-test:${otherUsersTokens}`)).toBe('5');
    expect(await raw.pttl(`integrations-test:${otherUsersTokens}`)).toBeGreaterThan(59_000);
    // The refused call took no slot.
    expect(await raw.get(`integrations-test:${user}`)).toBeNull();
  });

  it('sends held additions on their own once their time has passed, when no call comes to carry them', async () => {
    const additionsHeld = new ManualSchedule();
    const quiet = new RedisCounterStore(REDIS_URL, { prefix: 'integrations-test:', schedule: additionsHeld.schedule });
    await quiet.ready(2_000);
    try {
      const tokens = key('tokens');
      const written = quiet.add([{ key: tokens, amount: 7, windowMs: 60_000 }]);
      void quiet.add([{ key: tokens, amount: 3, windowMs: 60_000 }]); // merged into the same wait
      await new Promise((resolve) => setImmediate(resolve));
      expect(additionsHeld.waits).toEqual([expect.any(Number)]);
      expect(additionsHeld.waits[0]).toBeLessThanOrEqual(1_000);
      expect(await raw.get(`integrations-test:${tokens}`)).toBeNull(); // held, not sent

      additionsHeld.runAll(); // their time has passed
      await written;
      expect(await raw.get(`integrations-test:${tokens}`)).toBe('10');
    } finally {
      await quiet.close();
    }
  });

  it('writes held additions on flush and on close', async () => {
    const [flushed, closed] = [key('spend'), key('spend')];
    const written = store.add([{ key: flushed, amount: 250, windowMs: 86_400_000 }]);
    await store.flush();
    await written;
    expect(await raw.get(`integrations-test:${flushed}`)).toBe('250');

    const closing = new RedisCounterStore(REDIS_URL, { prefix: 'integrations-test:' });
    await closing.ready(2_000);
    const lastWritten = closing.add([{ key: closed, amount: 3, windowMs: 60_000 }]);
    await closing.close();
    await lastWritten;
    expect(await raw.get(`integrations-test:${closed}`)).toBe('3');
  });

  it('writes thousands of held additions in one run, each counter with its own amount and window', async () => {
    const base = key('tokens');
    const counters = Array.from({ length: 3000 }, (_, index) => ({ key: `${base}:${index}`, amount: index + 1, windowMs: 60_000 + index }));
    const written = store.add(counters);
    await store.flush();
    await written;
    const prefixed = counters.map(({ key: name }) => `integrations-test:${name}`);
    expect((await raw.mget(prefixed)).map(Number)).toEqual(counters.map(({ amount }) => amount));
    const ttls = await Promise.all([prefixed[0], prefixed[2999]].map((name) => raw.pttl(name)));
    expect(ttls[0]).toBeGreaterThan(59_000);
    expect(ttls[0]).toBeLessThanOrEqual(60_000);
    expect(ttls[1]).toBeGreaterThan(61_000);
    await raw.del(...prefixed);
  });

  it('waits on flush for additions a check already carries (callers add without waiting for them)', async () => {
    await withStoreBehindProxy({}, async (carrier, proxy) => {
      const tokens = key('tokens');
      void carrier.add([{ key: tokens, amount: 42, windowMs: 60_000 }]);
      proxy.stall();
      const checked = carrier.check([{ key: key('user'), limit: 10, windowMs: 60_000, take: true }]);
      await new Promise((resolve) => setImmediate(resolve)); // the check has left, the addition with it
      let flushed = false;
      const flushing = carrier.flush().then(() => (flushed = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(flushed).toBe(false); // nothing is held any more, but the addition is not written yet
      proxy.flow();
      await flushing;
      expect(await raw.get(`integrations-test:${tokens}`)).toBe('42');
      await checked;
    });
  });

  it('decides checks made in one turn call after call, in the order they came', async () => {
    const [user, org, otherUser] = [key('user'), key('org'), key('user')];
    const call = (userKey: string) =>
      store.check([
        { key: userKey, limit: 2, windowMs: 60_000, take: true },
        { key: org, limit: 3, windowMs: 60_000, take: true },
      ]);
    const answers = await Promise.all([call(user), call(user), call(user), call(otherUser), call(otherUser), call(otherUser)]);
    expect(answers.map((answer) => (answer.allowed ? 'allowed' : `blocked ${answer.blocked} at ${answer.count}`))).toEqual([
      'allowed',
      'allowed',
      'blocked 0 at 2',
      'allowed',
      'blocked 1 at 3',
      'blocked 1 at 3',
    ]);
    const [userCount, orgCount, otherCount] = await store.read([
      { key: user, windowMs: 60_000 },
      { key: org, windowMs: 60_000 },
      { key: otherUser, windowMs: 60_000 },
    ]);
    expect([userCount.count, orgCount.count, otherCount.count]).toEqual([2, 3, 1]);
  });

  it('reads a counter never written as zero with the whole window ahead', async () => {
    expect(await store.read([{ key: key('unseen'), windowMs: 60_000 }])).toEqual([{ count: 0, resetMs: 60_000 }]);
  });

  describe('slots leased ahead', () => {
    const LEASE_MS = 5_000;
    /** How long a paused caller's slots are held. */
    const HOLD_MS = LEASE_MS * HOLD_LEASE_TIMES;
    let now = 1_000_000;
    let leasing: RedisCounterStore;
    let otherReplica: RedisCounterStore;
    /** The waits of renewals held back: their time passes only when a test says so, not on the clock of a busy machine. */
    const heldRenewals = new ManualSchedule();

    beforeAll(async () => {
      leasing = new RedisCounterStore(REDIS_URL, {
        prefix: 'integrations-test:',
        leaseMs: LEASE_MS,
        now: () => now,
        schedule: heldRenewals.schedule,
      });
      otherReplica = new RedisCounterStore(REDIS_URL, { prefix: 'integrations-test:', leaseMs: LEASE_MS });
      await Promise.all([leasing.ready(2_000), otherReplica.ready(2_000)]);
    });

    afterAll(async () => {
      await Promise.all([leasing.close(), otherReplica.close()]);
    });

    const requests = (limit: number) => [{ key: key('user'), limit, windowMs: 60_000, take: true }];
    const outcome = async (store: RedisCounterStore, checks: ReturnType<typeof requests>) =>
      (await store.check(checks)).allowed ? 'allowed' : 'refused';

    /** Calls `onRun` with the counters (of `counters`) each script run names, while `during` runs. */
    async function watchScriptRuns(counters: string[], onRun: (named: string[]) => void, during: () => Promise<void>): Promise<void> {
      const sendCommand = Object.getOwnPropertyDescriptor(Redis.prototype, 'sendCommand')!.value as Redis['sendCommand'];
      const spy = jest.spyOn(Redis.prototype, 'sendCommand').mockImplementation(function (
        this: Redis,
        ...args: Parameters<Redis['sendCommand']>
      ) {
        const [command] = args;
        const named = counters.filter((counter) => command.args.includes(counter));
        if (command.name === 'evalsha' && named.length > 0) onRun(named);
        return sendCommand.apply(this, args);
      });
      try {
        await during();
      } finally {
        spy.mockRestore();
      }
    }

    it('admits a steady caller’s next calls from slots its last call took ahead, without asking Redis', async () => {
      const checks = requests(1_000);
      const counter = `integrations-test:${checks[0].key}`;
      expect(await outcome(leasing, checks)).toBe('allowed'); // a lone call: nothing taken ahead
      expect(await raw.get(counter)).toBe('1');
      now += 2_000;
      // Seen again 2 s later: at that pace, two more calls within the 5 s lease.
      expect(await outcome(leasing, checks)).toBe('allowed');
      expect(await raw.get(counter)).toBe('4');
      // Another replica fills the limit; the slots already taken are still this replica's to use.
      await raw.set(counter, '1000', 'KEEPTTL');
      const before = leasing.admissions();
      expect([await outcome(leasing, checks), await outcome(leasing, checks), await outcome(leasing, checks)]).toEqual([
        'allowed',
        'allowed',
        'refused',
      ]);
      expect(leasing.admissions()).toEqual({ checked: before.checked + 1, leased: before.leased + 2 });
    });

    it('renews a steady caller’s lease without its calls waiting: after its second call, none is decided in Redis', async () => {
      const checks = requests(1_000);
      const counter = `integrations-test:${checks[0].key}`;
      const before = leasing.admissions();
      for (let call = 1; call <= 40; call++) {
        expect(await outcome(leasing, checks)).toBe('allowed');
        await leasing.flush(); // a renewal the call sent, answered
        now += 1_000;
        await raw.pexpire(counter, 60_000 - call * 1_000); // Redis's clock moves on as this test's clock does
      }
      expect(leasing.admissions()).toEqual({ checked: before.checked + 2, leased: before.leased + 38 });
      // Redis counted each call and the few slots the lease still holds (at most what five calls at this pace use).
      const counted = Number(await raw.get(counter));
      expect(counted).toBeGreaterThan(40);
      expect(counted).toBeLessThanOrEqual(45);
    });

    it('keeps a caller calling every few seconds out of Redis, and its renewals take only the slots it asks for', async () => {
      const checks = requests(1_000);
      const counter = `integrations-test:${checks[0].key}`;
      const before = leasing.admissions();
      const paces = [2_600, 3_000, 2_400, 3_200];
      let windowLeft = 60_000;
      for (let call = 1; call <= 16; call++) {
        expect(await outcome(leasing, checks)).toBe('allowed');
        await leasing.flush();
        const pace = paces[call % paces.length];
        now += pace;
        windowLeft -= pace;
        await raw.pexpire(counter, windowLeft);
      }
      expect(leasing.admissions()).toEqual({ checked: before.checked + 2, leased: before.leased + 14 });
      // Each call counted, and the slot or two the lease still holds: nothing piled up.
      const counted = Number(await raw.get(counter));
      expect(counted).toBeGreaterThan(16);
      expect(counted).toBeLessThanOrEqual(18);
    });

    it('sends a renewal after the request its call sends on the same turn, and a check a call waits on before it', async () => {
      const checks = requests(1_000);
      const counter = `integrations-test:${checks[0].key}`;
      /** What went out during each call, in order: 'script' for a script run on this counter, 'call' for the call's own request. */
      const sent: string[][] = [];
      await watchScriptRuns(
        [counter],
        () => sent.at(-1)!.push('script'),
        async () => {
          for (let call = 1; call <= 12; call++) {
            sent.push([]);
            const admitted = leasing.check(checks);
            // Where undici writes a request on a kept-alive connection: an Immediate queued after the admission.
            setImmediate(() => sent.at(-1)!.push('call'));
            expect((await admitted).allowed).toBe(true);
            await leasing.flush();
            now += 1_000;
            await raw.pexpire(counter, 60_000 - call * 1_000);
          }
        },
      );
      // The first two calls wait on Redis; the rest are admitted from the lease, some sending its renewal.
      expect(sent.slice(0, 2)).toEqual([
        ['script', 'call'],
        ['script', 'call'],
      ]);
      const leased = sent.slice(2).map((during) => during.join(' then '));
      expect(new Set(leased)).toEqual(new Set(['call', 'call then script']));
    });

    describe('renewals held back to go together', () => {
      /** Script runs sent while `during` runs, each as the counters it names (of `counters` only). */
      async function scriptRuns(counters: string[], during: () => Promise<void>): Promise<string[][]> {
        const runs: string[][] = [];
        await watchScriptRuns(counters, (named) => runs.push(named), during);
        return runs;
      }
      const turn = () => new Promise((resolve) => setImmediate(resolve));

      /** Callers with a lease of five slots, seen twice a second apart; their next call, 3 s later, is due to renew. */
      async function callersDueToRenew(count: number) {
        const callers = Array.from({ length: count }, () => requests(1_000));
        for (const checks of callers) await leasing.check(checks);
        now += 1_000;
        for (const checks of callers) await leasing.check(checks);
        await leasing.flush();
        now += 3_000;
        return { callers, counters: callers.map((checks) => `integrations-test:${checks[0].key}`) };
      }

      it('sends the renewals of callers calling every few seconds, made on separate turns, in one script run', async () => {
        const { callers, counters } = await callersDueToRenew(20);
        const before = leasing.admissions();
        const runs = await scriptRuns(counters, async () => {
          for (const checks of callers) {
            expect(await outcome(leasing, checks)).toBe('allowed');
            await turn();
            await turn();
          }
          await leasing.flush();
        });
        expect(leasing.admissions()).toEqual({ checked: before.checked, leased: before.leased + 20 });
        expect(runs).toEqual([counters]);
        // Each renewal took its slot: the call's own and the five of the first lease, and one more.
        expect(await raw.mget(counters)).toEqual(counters.map(() => '8'));
      });

      it('sends a held renewal with the next check a call waits on, and on its own within a tenth of a second', async () => {
        const { callers, counters } = await callersDueToRenew(2);
        const newcomer = requests(1_000);
        const newcomerCounter = `integrations-test:${newcomer[0].key}`;
        const runs = await scriptRuns([...counters, newcomerCounter], async () => {
          expect(await outcome(leasing, callers[0])).toBe('allowed');
          await turn();
          await turn();
          expect(await outcome(leasing, newcomer)).toBe('allowed'); // waits on Redis, taking the renewal along
          expect(await outcome(leasing, callers[1])).toBe('allowed');
          await turn();
          await turn();
          expect(heldRenewals.waits).toEqual([expect.any(Number)]);
          expect(heldRenewals.waits[0]).toBeLessThanOrEqual(100);
          expect(await raw.get(counters[1])).not.toBe('8'); // not sent yet
          heldRenewals.runAll(); // its time has passed
          await leasing.flush();
          expect(await raw.get(counters[1])).toBe('8');
        });
        expect(runs).toEqual([[counters[0], newcomerCounter], [counters[1]]]);
      });
    });

    it('stops admitting from a renewed lease once a checked-only counter reaches its limit', async () => {
      const tokens = key('tokens');
      const checks = [{ key: tokens, limit: 1_000_000, windowMs: 60_000, take: false }, ...requests(1_000)];
      for (let call = 1; call <= 8; call++) {
        await leasing.check(checks);
        await leasing.flush();
        now += 1_000;
        await raw.pexpire(`integrations-test:${checks[1].key}`, 60_000 - call * 1_000);
      }
      await raw.set(`integrations-test:${tokens}`, '1000000', 'PX', 60_000);
      // Calls go on from the lease until its next renewal (due within four calls at this pace) is refused at the
      // token limit; the slots it still held are dropped then, and every call after is refused.
      const outcomes: string[] = [];
      for (let call = 0; call < 8; call++) {
        outcomes.push(await outcome(leasing, checks));
        await leasing.flush();
        now += 1_000;
      }
      expect(outcomes.indexOf('refused')).toBeGreaterThan(0);
      expect(outcomes.indexOf('refused')).toBeLessThanOrEqual(4);
      expect(outcomes.slice(outcomes.indexOf('refused'))).toEqual(outcomes.slice(outcomes.indexOf('refused')).map(() => 'refused'));
    });

    it('admits a caller back from a pause from its held slots, and re-reads the counters behind that call', async () => {
      const tokens = key('tokens');
      const checks = [{ key: tokens, limit: 1_000_000, windowMs: 60_000, take: false }, ...requests(1_000)];
      await leasing.check(checks);
      now += 2_000;
      await leasing.check(checks); // two more slots at that pace
      // During a pause of three lease times, another replica's calls use up the token limit.
      await raw.set(`integrations-test:${tokens}`, '1000000', 'PX', 60_000);
      now += 3 * LEASE_MS;
      const before = leasing.admissions();
      expect(await outcome(leasing, checks)).toBe('allowed'); // without waiting on Redis
      expect(leasing.admissions()).toEqual({ checked: before.checked, leased: before.leased + 1 });
      await leasing.flush(); // the re-read that call sent, refused at the token limit: the lease is dropped
      expect(await outcome(leasing, checks)).toBe('refused');
    });

    it('lets a leased slot lapse after the time it is held for a pause', async () => {
      const checks = requests(1_000);
      await leasing.check(checks);
      now += 2_000;
      await leasing.check(checks);
      await raw.set(`integrations-test:${checks[0].key}`, '1000', 'KEEPTTL');
      now += HOLD_MS;
      expect(await outcome(leasing, checks)).toBe('refused');
    });

    it('takes nothing ahead while a checked-only counter is near its limit, so each call reads it', async () => {
      const tokens = key('tokens');
      await raw.set(`integrations-test:${tokens}`, '95', 'PX', 60_000);
      const checks = [{ key: tokens, limit: 100, windowMs: 60_000, take: false }, ...requests(1_000)];
      expect([await outcome(leasing, checks), await outcome(leasing, checks)]).toEqual(['allowed', 'allowed']);
      expect(await raw.get(`integrations-test:${checks[1].key}`)).toBe('2');
      await raw.set(`integrations-test:${tokens}`, '100', 'KEEPTTL');
      expect(await outcome(leasing, checks)).toBe('refused');
    });

    /** Slots taken by a second call 100 ms after the first (50 asked for), one of them used, then the lease lapsed. */
    async function lapsedLease(store: RedisCounterStore) {
      const checks = requests(1_000);
      const counter = `integrations-test:${checks[0].key}`;
      await store.check(checks);
      now += 100;
      await store.check(checks);
      await store.check(checks);
      expect(await raw.get(counter)).toBe('52');
      now += HOLD_MS;
      return { checks, counter };
    }

    it('gives the unused slots of a lapsed lease back to the window they were taken in', async () => {
      const { counter } = await lapsedLease(leasing);
      // Redis's clock moves on as this test's clock did.
      await raw.pexpire(counter, 60_000 - HOLD_MS - 100);
      await leasing.giveBackLapsedSlots();
      expect(await raw.get(counter)).toBe('3');
      await leasing.giveBackLapsedSlots();
      expect(await raw.get(counter)).toBe('3');
    });

    it('gives many lapsed leases’ slots back in runs of a bounded size, so Redis answers other callers between them', async () => {
      // A replica of its own: no lease of another test lapses into these runs. Its setup checks 600
      // subjects in one script run, which a machine busy with other suites may take past the 100 ms
      // a production command gets: a failure of the setup, not of what this test looks at.
      const replica = new RedisCounterStore(REDIS_URL, {
        prefix: 'integrations-test:',
        leaseMs: LEASE_MS,
        now: () => now,
        commandTimeoutMs: 5_000,
      });
      try {
        await replica.ready(2_000);
        const subjects = Array.from({ length: 2 * GIVE_BACK_RUN_COUNTERS + 88 }, () => requests(1_000));
        const counters = subjects.map((checks) => `integrations-test:${checks[0].key}`);
        await Promise.all(subjects.map((checks) => replica.check(checks)));
        now += 100;
        await Promise.all(subjects.map((checks) => replica.check(checks)));
        await Promise.all(subjects.map((checks) => replica.check(checks)));
        expect(new Set(await raw.mget(...counters))).toEqual(new Set(['52']));
        now += HOLD_MS;
        // Redis's clock moves on as this test's clock did.
        await Promise.all(counters.map((counter) => raw.pexpire(counter, 60_000 - HOLD_MS - 100)));

        // Every script run Redis is sent, by its first counter (a run sent by SHA and again as source counts once).
        const monitored = raw.duplicate();
        const monitor = await monitored.monitor();
        const runs = new Map<string, number>();
        let markerSeen: () => void = () => undefined;
        const marker = new Promise<void>((resolve) => (markerSeen = resolve));
        monitor.on('monitor', (_time: string, args: string[]) => {
          const command = args[0].toLowerCase();
          if ((command === 'evalsha' || command === 'eval') && counters.includes(args[3])) runs.set(args[3], Number(args[2]));
          if (command === 'echo' && args[1] === 'give-back done') markerSeen();
        });
        try {
          await replica.giveBackLapsedSlots();
          await raw.echo('give-back done');
          await marker;
        } finally {
          monitor.disconnect();
          monitored.disconnect();
        }
        expect(new Set(await raw.mget(...counters))).toEqual(new Set(['3']));
        expect([...runs.values()]).toEqual([GIVE_BACK_RUN_COUNTERS, GIVE_BACK_RUN_COUNTERS, 88]);
      } finally {
        await replica.close();
      }
    });

    it('gives nothing back to a newer window of the same counter', async () => {
      const { counter } = await lapsedLease(leasing);
      await raw.set(counter, '5', 'PX', 60_000);
      await leasing.giveBackLapsedSlots();
      expect(await raw.get(counter)).toBe('5');
    });

    it('gives back every lease’s unused slots when it closes', async () => {
      const closing = new RedisCounterStore(REDIS_URL, { prefix: 'integrations-test:', leaseMs: LEASE_MS, now: () => now });
      await closing.ready(2_000);
      const checks = requests(1_000);
      try {
        await closing.check(checks);
        now += 100;
        await closing.check(checks);
        expect(await raw.get(`integrations-test:${checks[0].key}`)).toBe('52');
      } finally {
        await closing.close();
      }
      expect(await raw.get(`integrations-test:${checks[0].key}`)).toBe('2');
    });

    it('never admits more calls than the limit across two replicas, and leaves no slot unused when both keep calling', async () => {
      const limit = 200;
      const checks = requests(limit);
      const otherChecks = checks.map((check) => ({ ...check }));
      let admitted = 0;
      for (let call = 0; call < 600; call++) {
        const [store, own] = call % 3 === 0 ? [leasing, checks] : [otherReplica, otherChecks];
        if ((await store.check(own)).allowed) admitted++;
      }
      expect(admitted).toBe(limit);
      expect(await raw.get(`integrations-test:${checks[0].key}`)).toBe(String(limit));
    });
  });

  describe('a Redis that stops answering without closing its connections', () => {
    it('makes only the command that found it wait: later calls fail at once, until a probe off their path is answered', async () => {
      let now = 1_000_000;
      /** The probe's wait: its time passes only when the test says so. */
      const probes = new ManualSchedule();
      await withStoreBehindProxy({ now: () => now, probeIntervalMs: 20, schedule: probes.schedule }, async (hung, proxy) => {
        const checks = [{ key: key('user'), limit: 100, windowMs: 60_000, take: true }];
        expect(await hung.check(checks)).toEqual({ allowed: true });

        proxy.stall();
        await expect(hung.check(checks)).rejects.toThrow(/timed out/i);
        expect(probes.waits).toEqual([20]); // one probe, off every caller's path
        // Well after the failure (its own clock included), calls still do not wait on the hung Redis.
        now += 5_000;
        for (let call = 0; call < 3; call++) {
          const started = performance.now();
          await expect(hung.check(checks)).rejects.toThrow();
          expect(performance.now() - started).toBeLessThan(50);
        }

        proxy.flow();
        // Redis answers again, but no probe has asked it yet: calls still fail at once.
        await expect(hung.check(checks)).rejects.toThrow(/has not answered/);
        await waitFor(
          () => {
            probes.runAll(); // the probe's time has passed (again, should a probe have found it still hung)
            return hung.check(checks).then(
              ({ allowed }) => allowed,
              () => false,
            );
          },
          5_000,
          'calls to be checked in Redis again',
        );
        // The first call, the one that timed out (delivered late, it still ran) and the last: the
        // calls refused at once never reached Redis.
        expect(await raw.get(`integrations-test:${checks[0].key}`)).toBe('3');
      });
    });
  });
});
