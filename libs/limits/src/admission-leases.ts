import type { Clock } from '@app/common';
import type { CounterCheck } from './counter-store.js';

/** The most slots a call may take ahead for its subject's next calls. */
export const MAX_LEASED_SLOTS = 64;
/** Subjects whose leases are kept; past it, they are all dropped (their slots lapse with their windows). */
const MAX_LEASES = 20_000;
/** Slots whose window has less than this left when their lease lapses are not given back: the window ends first. */
const GIVE_BACK_MIN_WINDOW_MS = 1_000;
/** Two answers whose shortest counted windows end this close together counted in the same window. */
const SAME_WINDOW_MS = 1_000;
/**
 * A lease is renewed once its slots would last less than this share (1/n) of the lease time, or its
 * time would not outlast the subject's next call by as much.
 */
const RENEW_AT_SHARE = 4;
/**
 * A lease's slots are held this many lease times (within their counted window) for a subject that
 * pauses: its first call back is admitted from them and re-reads the counters behind it, instead
 * of waiting on the store. The counters are re-read every lease time while the subject calls.
 */
export const HOLD_LEASE_TIMES = 6;

/** Slots a replica took ahead in the shared counters for one subject's checks. */
interface Lease {
  /** Calls this replica may still admit without asking the store. */
  slots: number;
  /** The slots lapse then: HOLD_LEASE_TIMES lease times after the store's latest answer, or the shortest counted window's end. */
  expiresAt: number;
  /** The store's latest answer is older than the lease time then: a call admitted after it sends a renewal, which re-reads every counter. */
  freshUntil: number;
  /** When the store last took slots for these checks. */
  takenAt: number;
  /** When its shortest counted window ends (NaN: no counted limit). */
  windowEndsAt: number;
  /** The subject's latest call through this replica, however admitted. */
  lastCallAt: number;
  /** The time between the subject's last two calls through this replica. */
  paceMs: number;
  /** A renewal is on its way to the store. */
  renewing: boolean;
}

/** Slots of a lapsed lease to give back to its counted limits, while their windows still run. */
export interface UnusedSlots {
  checks: readonly CounterCheck[];
  slots: number;
  /** How long ago they were taken: a counted window ending later than `windowMs - takenMsAgo` from now is a newer one. */
  takenMsAgo: number;
}

/**
 * Admission ahead of the shared store, for a subject calling steadily. When the store allows a call
 * it may also take a few more slots in the subject's counted limits (requests per minute) at once,
 * atomically with the call's own; this replica then admits that many of the subject's next calls
 * without a round trip. The slots are real takes in the shared counters, so no limit is ever
 * exceeded across replicas. A call asks for as many as the subject's pace (the time since its
 * previous call) would use within the lease; the store gives at most a share of what is left, none
 * near a limit. Slots still unused when the lease lapses are given back (`lapsed`), so a burst
 * followed by silence does not use up a limit; until then another replica may refuse a call for
 * them. Checked-only counters (tokens, spend) are not re-read while a lease lasts, so they are
 * re-read at least every `leaseMs` while the subject calls: a call admitted from a lease whose last
 * answer is older sends a renewal. For a subject that pauses, the slots are held HOLD_LEASE_TIMES
 * lease times: its first call back is admitted from them (on counters read before the pause, as a
 * call near a lease's end is) and re-reads them behind it, instead of waiting on the store.
 *
 * A steady subject's lease is renewed before it runs out (`renewal`): a call admitted from one of its
 * last slots, or late enough in its time that the subject's next call at its pace might find it over,
 * also sends the store a check of its own that takes the slots the pace wants, without waiting for
 * it; its answer (`renewed`) adds them and, having re-read every counter, restarts the lease time.
 * So a steady subject's calls wait on the store only when its shortest counted window turns over
 * (slots belong to one window).
 *
 * Keyed by the checks array: CallLimits passes each subject's same array on every call.
 */
export class AdmissionLeases {
  private readonly leases = new Map<readonly CounterCheck[], Lease>();
  private readonly holdMs: number;

  /** `leaseMs` 0: every call asks the store. */
  constructor(
    private readonly leaseMs: number,
    private readonly now: Clock = Date.now,
  ) {
    this.holdMs = leaseMs * HOLD_LEASE_TIMES;
  }

  /** Admits the call from a live lease's slots, if one is left. */
  tryAdmit(checks: readonly CounterCheck[]): boolean {
    const lease = this.leases.get(checks);
    if (!lease || lease.slots === 0) return false;
    const now = this.now();
    if (now >= lease.expiresAt) return false;
    lease.slots--;
    lease.paceMs = now - lease.lastCallAt;
    lease.lastCallAt = now;
    return true;
  }

  /**
   * After a call admitted from the lease: the slots a renewal should take ahead (to hold what the
   * pace wants within the lease time; at least one, so its answer tells whether the store still
   * leases), or 0 when none is due: the store's latest answer is younger than the lease time, the
   * lease still holds slots for a quarter of the lease time at the subject's pace, and time for its
   * next call and a quarter of the lease time more; or a renewal is on its way. The lease is then
   * marked renewing until `renewed` or `renewalFailed`.
   */
  renewal(checks: readonly CounterCheck[]): number {
    const lease = this.leases.get(checks);
    if (!lease || lease.renewing) return 0;
    const now = this.now();
    const wanted = this.atPace(lease.paceMs);
    const stale = now >= lease.freshUntil;
    if (wanted === 0 && !stale) return 0;
    const slotsLow = lease.slots <= wanted / RENEW_AT_SHARE;
    // A subject calling every few seconds makes few calls within a lease: renewed only in the last
    // quarter of its time, the lease would often end between two of its calls, and the next would
    // wait on the store. Not when the counted window ends before the next call or within that
    // quarter: slots taken now would end with it, mostly unused.
    const reserveMs = this.leaseMs / RENEW_AT_SHARE;
    const windowEndsFirst = lease.windowEndsAt - now <= Math.max(reserveMs, lease.paceMs);
    const timeLow = lease.freshUntil - now <= lease.paceMs + reserveMs && !windowEndsFirst;
    if (!(stale || slotsLow || timeLow)) return 0;
    lease.renewing = true;
    return Math.max(1, wanted - lease.slots);
  }

  /**
   * How long the subject's lease can go on without a renewal's answer: until the calls its pace
   * makes use up the slots it still holds, or its slots lapse, whichever comes first (0 when it
   * holds none). A renewal may be held back about half that long, to go to the store with others.
   */
  renewalSlackMs(checks: readonly CounterCheck[]): number {
    const lease = this.leases.get(checks);
    if (!lease || lease.slots === 0) return 0;
    return Math.max(0, Math.min(lease.slots * lease.paceMs, lease.expiresAt - this.now()));
  }

  /**
   * The store allowed a renewal and took `ahead` slots (a renewal takes none for a call of its own);
   * `windowMs` is the time left in the shortest counted window (negative: no counted limit). With
   * slots taken (the store found every counter clear of its limit), they are added, or replace
   * those of an ended window, and the lease time restarts; with none (a counter near its limit), the
   * lease keeps what it holds only until its lease time ends, not held for a pause.
   */
  renewed(checks: readonly CounterCheck[], ahead: number, windowMs: number): void {
    const lease = this.leases.get(checks);
    if (!lease) return; // dropped meanwhile: the slots lapse with their window
    lease.renewing = false;
    const now = this.now();
    if (ahead === 0) {
      lease.expiresAt = Math.min(lease.expiresAt, Math.max(lease.freshUntil, now));
      return;
    }
    const windowEndsAt = windowMs >= 0 ? now + windowMs : NaN;
    if (Number.isNaN(windowEndsAt) || Math.abs(windowEndsAt - lease.windowEndsAt) < SAME_WINDOW_MS) lease.slots += ahead;
    else {
      lease.slots = ahead;
      lease.takenAt = now;
      lease.windowEndsAt = windowEndsAt;
    }
    this.restart(lease, now, windowEndsAt);
  }

  /**
   * The store has just answered for the lease, having read every counter: both its times start
   * again, within the shortest counted window that answer named (`windowEndsAt`, NaN: none).
   */
  private restart(lease: Lease, now: number, windowEndsAt: number): void {
    const windowEnd = Number.isNaN(windowEndsAt) ? Infinity : windowEndsAt;
    lease.freshUntil = Math.min(now + this.leaseMs, windowEnd);
    lease.expiresAt = Math.min(now + this.holdMs, windowEnd);
  }

  /** A renewal failed (the store did not answer): the slots still held stay usable, and a later call may try again. */
  renewalFailed(checks: readonly CounterCheck[]): void {
    const lease = this.leases.get(checks);
    if (lease) lease.renewing = false;
  }

  /**
   * How many slots a call that goes to the store asks for beyond its own: as many calls as the
   * subject's pace since its previous call would make within the lease (none for a subject not seen
   * within it, so a lone call takes nothing ahead).
   */
  wanted(checks: readonly CounterCheck[]): number {
    if (this.leaseMs === 0) return 0;
    const lease = this.leases.get(checks);
    if (!lease) return 0;
    return this.atPace(this.now() - lease.lastCallAt);
  }

  /** The calls a subject calling every `paceMs` makes within the lease time (0: slower than one per lease). */
  private atPace(paceMs: number): number {
    return paceMs > this.leaseMs ? 0 : Math.min(MAX_LEASED_SLOTS, Math.floor(this.leaseMs / Math.max(1, paceMs)));
  }

  /**
   * The store allowed a call and took `slots` more ahead; `windowMs` is the time left in the
   * shortest counted window (negative: no counted limit). Slots still live are kept with the new
   * ones until the earlier end.
   */
  allowed(checks: readonly CounterCheck[], slots: number, windowMs: number): void {
    if (this.leaseMs === 0) return;
    const now = this.now();
    const windowEndsAt = windowMs >= 0 ? now + windowMs : NaN;
    let lease = this.leases.get(checks);
    if (!lease) {
      if (this.leases.size >= MAX_LEASES) this.leases.clear();
      lease = { slots, expiresAt: now, freshUntil: now, takenAt: now, windowEndsAt, lastCallAt: now, paceMs: Infinity, renewing: false };
      this.leases.set(checks, lease);
      this.restart(lease, now, windowEndsAt);
      return;
    }
    // Updated in place: a subject's lease is long-lived, and a new object per answer would be a young
    // object hanging off an old table for every collection to trace.
    if (lease.slots > 0 && now < lease.expiresAt) {
      // Slots still live are kept with the new ones until the earlier end.
      const heldUntil = lease.expiresAt;
      lease.slots += slots;
      this.restart(lease, now, windowEndsAt);
      lease.expiresAt = Math.min(lease.expiresAt, heldUntil);
    } else {
      lease.slots = slots;
      lease.takenAt = now;
      lease.windowEndsAt = windowEndsAt;
      this.restart(lease, now, windowEndsAt);
    }
    lease.paceMs = now - lease.lastCallAt;
    lease.lastCallAt = now;
  }

  /**
   * The store refused a call or a renewal. At a checked-only limit (tokens, spend) nothing more is
   * admitted from the lease; at a counted one (requests) the slots already held are real takes in
   * that very counter (a renewal may have taken them while the call was on its way) and stay usable.
   */
  refused(checks: readonly CounterCheck[], atCountedLimit: boolean): void {
    const lease = this.leases.get(checks);
    if (!lease) return;
    lease.renewing = false;
    if (!atCountedLimit || lease.slots === 0) this.leases.delete(checks);
  }

  /**
   * Takes the unused slots of leases that have lapsed (`all`: of every lease, e.g. at shutdown), to
   * be given back while their windows still run; slots whose window is about to end are left to it.
   */
  lapsed(all = false): UnusedSlots[] {
    const now = this.now();
    const unused: UnusedSlots[] = [];
    for (const [checks, lease] of this.leases) {
      // A subject not seen within the lease time is forgotten once it holds nothing (a lone caller's
      // entry, kept for its pace, lives no longer than the lease time, however long slots are held).
      if (now - lease.lastCallAt > this.leaseMs && (lease.slots === 0 || now >= lease.expiresAt)) this.leases.delete(checks);
      if (lease.slots === 0 || (now < lease.expiresAt && !all)) continue;
      if (lease.windowEndsAt - now >= GIVE_BACK_MIN_WINDOW_MS) unused.push({ checks, slots: lease.slots, takenMsAgo: now - lease.takenAt });
      lease.slots = 0;
    }
    return unused;
  }
}
