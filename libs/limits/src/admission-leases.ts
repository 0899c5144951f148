import type { Clock } from '@app/common';
import type { CounterCheck } from './counter-store.js';

/** The most slots a call may take ahead for its subject's next calls. */
export const MAX_LEASED_SLOTS = 64;
/** Subjects whose leases are kept; past it, they are all dropped (their slots lapse with their windows). */
const MAX_LEASES = 20_000;
/** Slots whose window has less than this left when their lease lapses are not given back: the window ends first. */
const GIVE_BACK_MIN_WINDOW_MS = 1_000;

/** Slots a replica took ahead in the shared counters for one subject's checks. */
interface Lease {
  /** Calls this replica may still admit without asking the store. */
  slots: number;
  /** The slots lapse then: the lease time after they were taken, or the shortest counted window's end. */
  expiresAt: number;
  /** When the store last took slots for these checks. */
  takenAt: number;
  /** When its shortest counted window ends (NaN: no counted limit). */
  windowEndsAt: number;
  /** The subject's latest call through this replica, however admitted. */
  lastCallAt: number;
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
 * them. Checked-only counters (tokens, spend) are not re-read while a lease lasts, so a lease lasts
 * at most `leaseMs`.
 *
 * Keyed by the checks array: CallLimits passes each subject's same array on every call.
 */
export class AdmissionLeases {
  private readonly leases = new Map<readonly CounterCheck[], Lease>();

  /** `leaseMs` 0: every call asks the store. */
  constructor(
    private readonly leaseMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  /** Admits the call from a live lease's slots, if one is left. */
  tryAdmit(checks: readonly CounterCheck[]): boolean {
    const lease = this.leases.get(checks);
    if (!lease || lease.slots === 0) return false;
    const now = this.now();
    if (now >= lease.expiresAt) return false;
    lease.slots--;
    lease.lastCallAt = now;
    return true;
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
    const sincePrevious = this.now() - lease.lastCallAt;
    return sincePrevious > this.leaseMs ? 0 : Math.min(MAX_LEASED_SLOTS, Math.floor(this.leaseMs / Math.max(1, sincePrevious)));
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
    const expiresAt = Math.min(now + this.leaseMs, Number.isNaN(windowEndsAt) ? Infinity : windowEndsAt);
    const lease = this.leases.get(checks);
    if (!lease) {
      if (this.leases.size >= MAX_LEASES) this.leases.clear();
      this.leases.set(checks, { slots, expiresAt, takenAt: now, windowEndsAt, lastCallAt: now });
      return;
    }
    // Updated in place: a subject's lease is long-lived, and a new object per answer would be a young
    // object hanging off an old table for every collection to trace.
    if (lease.slots > 0 && now < lease.expiresAt) {
      lease.slots += slots;
      lease.expiresAt = Math.min(lease.expiresAt, expiresAt);
    } else {
      lease.slots = slots;
      lease.expiresAt = expiresAt;
      lease.takenAt = now;
      lease.windowEndsAt = windowEndsAt;
    }
    lease.lastCallAt = now;
  }

  /** The store refused a call: nothing is left to admit from. */
  refused(checks: readonly CounterCheck[]): void {
    this.leases.delete(checks);
  }

  /**
   * Takes the unused slots of leases that have lapsed (`all`: of every lease, e.g. at shutdown), to
   * be given back while their windows still run; slots whose window is about to end are left to it.
   */
  lapsed(all = false): UnusedSlots[] {
    const now = this.now();
    const unused: UnusedSlots[] = [];
    for (const [checks, lease] of this.leases) {
      if (now - lease.lastCallAt > this.leaseMs && now >= lease.expiresAt) this.leases.delete(checks);
      if (lease.slots === 0 || (now < lease.expiresAt && !all)) continue;
      if (lease.windowEndsAt - now >= GIVE_BACK_MIN_WINDOW_MS) unused.push({ checks, slots: lease.slots, takenMsAgo: now - lease.takenAt });
      lease.slots = 0;
    }
    return unused;
  }
}
