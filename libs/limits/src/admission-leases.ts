import type { Clock } from '@app/common';
import type { CounterCheck } from './counter-store.js';

/** The most slots a call may take ahead for its subject's next calls. */
export const MAX_LEASED_SLOTS = 64;

/**
 * Slots a replica took ahead in the shared counters for one subject's checks, and how its last few
 * calls used them.
 */
interface Lease {
  /** Calls this replica may still admit without asking the store. */
  slots: number;
  /** The slots lapse then: the end of the shortest counted window, or the lease time. */
  expiresAt: number;
  /** When the store last answered for these checks. */
  syncedAt: number;
  /** Calls admitted from slots since then. */
  usedSinceSync: number;
}

/**
 * Admission ahead of the shared store, for a subject calling steadily. When the store allows a call
 * it may also take a few more slots in the subject's counted limits (requests per minute) at once,
 * atomically with the call's own; this replica then admits that many of the subject's next calls
 * without a round trip. The slots are real takes in the shared counters, so no limit is ever
 * exceeded across replicas; a slot left unused lapses with its window or the lease (another replica
 * may be refused for it meanwhile, which is why a lease is a small share of what is left, and none
 * near a limit: the store decides how many). Checked-only counters (tokens, spend) are not re-read
 * while a lease lasts, so a lease lasts at most `leaseMs`.
 *
 * Keyed by the checks array: CallLimits passes each subject's same array on every call.
 */
export class AdmissionLeases {
  private readonly leases = new WeakMap<readonly CounterCheck[], Lease>();

  /** `leaseMs` 0: every call asks the store. */
  constructor(
    private readonly leaseMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  /** Admits the call from a live lease's slots, if one is left. */
  tryAdmit(checks: readonly CounterCheck[]): boolean {
    const lease = this.leases.get(checks);
    if (!lease || lease.slots === 0 || this.now() >= lease.expiresAt) return false;
    lease.slots--;
    lease.usedSinceSync++;
    return true;
  }

  /**
   * How many slots a call that goes to the store asks for beyond its own: none for a subject not
   * seen within the lease time (a lone call leaves nothing unused), else twice what it used since
   * the store last answered, plus one, so a steady caller's leases grow to its rate.
   */
  wanted(checks: readonly CounterCheck[]): number {
    if (this.leaseMs === 0) return 0;
    const lease = this.leases.get(checks);
    if (!lease || this.now() - lease.syncedAt > this.leaseMs) return 0;
    return Math.min(MAX_LEASED_SLOTS, 2 * lease.usedSinceSync + 1);
  }

  /**
   * The store allowed a call and took `slots` more ahead; `windowMs` is the time left in the
   * shortest counted window (negative: no counted limit). Slots from two answers in flight add up.
   */
  allowed(checks: readonly CounterCheck[], slots: number, windowMs: number): void {
    if (this.leaseMs === 0) return;
    const now = this.now();
    const expiresAt = now + (windowMs >= 0 ? Math.min(this.leaseMs, windowMs) : this.leaseMs);
    const lease = this.leases.get(checks);
    if (!lease) return void this.leases.set(checks, { slots, expiresAt, syncedAt: now, usedSinceSync: 0 });
    // Updated in place: a subject's lease is long-lived, and a new object per answer would be a young
    // object hanging off an old table for every collection to trace.
    const live = lease.slots > 0 && now < lease.expiresAt;
    lease.slots = live ? lease.slots + slots : slots;
    lease.expiresAt = live ? Math.min(lease.expiresAt, expiresAt) : expiresAt;
    lease.syncedAt = now;
    lease.usedSinceSync = 0;
  }

  /** The store refused a call: nothing is left to admit from. */
  refused(checks: readonly CounterCheck[]): void {
    this.leases.delete(checks);
  }
}
