import { describe, expect, it } from '@jest/globals';
import { AdmissionLeases, MAX_LEASED_SLOTS } from './admission-leases.js';
import type { CounterCheck } from './counter-store.js';

const checksOfOneSubject = (): CounterCheck[] => [{ key: 'user:u1:requests', limit: 1_000, windowMs: 60_000, take: true }];

/** Leases with a lease time and a clock of their own, and one subject's checks. */
function leasesAt(leaseMs: number) {
  let now = 1_000_000;
  const leases = new AdmissionLeases(leaseMs, () => now);
  return { leases, checks: checksOfOneSubject(), advance: (ms: number) => (now += ms) };
}

describe('AdmissionLeases', () => {
  it('asks for no slots ahead on a subject’s first call, and admits nothing before the store has answered', () => {
    const { leases, checks } = leasesAt(5_000);
    expect(leases.wanted(checks)).toBe(0);
    expect(leases.tryAdmit(checks)).toBe(false);
  });

  it('admits exactly the slots the store granted, then sends the next call to the store again', () => {
    const { leases, checks } = leasesAt(5_000);
    leases.allowed(checks, 3, 40_000);
    expect([leases.tryAdmit(checks), leases.tryAdmit(checks), leases.tryAdmit(checks), leases.tryAdmit(checks)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // Another subject's checks have nothing leased.
    expect(leases.tryAdmit(checksOfOneSubject())).toBe(false);
  });

  it('asks for as many slots as the subject’s pace would use within the lease, up to the most a call may take', () => {
    const { leases, checks, advance } = leasesAt(5_000);
    leases.allowed(checks, 0, 60_000);
    advance(1_500);
    expect(leases.wanted(checks)).toBe(3);
    advance(-1_450);
    expect(leases.wanted(checks)).toBe(MAX_LEASED_SLOTS);
    // Admissions from slots count as calls too.
    leases.allowed(checks, 2, 60_000);
    advance(2_000);
    leases.tryAdmit(checks);
    advance(2_500);
    expect(leases.wanted(checks)).toBe(2);
    // Not seen within the lease time: a lone call again.
    advance(5_001);
    expect(leases.wanted(checks)).toBe(0);
  });

  it('lets slots lapse after the lease time, or sooner when the counted window ends first', () => {
    const { leases, checks, advance } = leasesAt(5_000);
    leases.allowed(checks, 10, 60_000);
    advance(4_999);
    expect(leases.tryAdmit(checks)).toBe(true);
    advance(1);
    expect(leases.tryAdmit(checks)).toBe(false);

    leases.allowed(checks, 10, 300);
    advance(299);
    expect(leases.tryAdmit(checks)).toBe(true);
    advance(1);
    expect(leases.tryAdmit(checks)).toBe(false);
  });

  it('keeps live slots with newly taken ones until the earlier end', () => {
    const { leases, checks, advance } = leasesAt(5_000);
    leases.allowed(checks, 1, 1_000);
    leases.allowed(checks, 2, 60_000);
    advance(999);
    expect([leases.tryAdmit(checks), leases.tryAdmit(checks), leases.tryAdmit(checks)]).toEqual([true, true, true]);
    advance(1);
    leases.allowed(checks, 1, 60_000);
    expect(leases.tryAdmit(checks)).toBe(true);
  });

  it('hands back the unused slots of a lapsed lease once, with how long ago they were taken', () => {
    const { leases, checks, advance } = leasesAt(5_000);
    leases.allowed(checks, 10, 60_000);
    leases.tryAdmit(checks);
    advance(4_999);
    expect(leases.lapsed()).toEqual([]);
    advance(1);
    expect(leases.lapsed()).toEqual([{ checks, slots: 9, takenMsAgo: 5_000 }]);
    expect(leases.lapsed()).toEqual([]);
    expect(leases.tryAdmit(checks)).toBe(false);
  });

  it('at shutdown hands back every lease’s slots; slots whose window is about to end are left to it', () => {
    const { leases } = leasesAt(5_000);
    const [live, endingSoon] = [checksOfOneSubject(), checksOfOneSubject()];
    leases.allowed(live, 4, 60_000);
    leases.allowed(endingSoon, 4, 900);
    expect(leases.lapsed(true)).toEqual([{ checks: live, slots: 4, takenMsAgo: 0 }]);
    expect(leases.tryAdmit(endingSoon)).toBe(false);
  });

  it('drops what is left once the store refuses a call', () => {
    const { leases, checks } = leasesAt(5_000);
    leases.allowed(checks, 5, 60_000);
    leases.refused(checks);
    expect(leases.tryAdmit(checks)).toBe(false);
    expect(leases.wanted(checks)).toBe(0);
  });

  it('with no lease time, never asks for slots nor admits without the store', () => {
    const { leases, checks, advance } = leasesAt(0);
    leases.allowed(checks, 5, 60_000);
    advance(1);
    expect(leases.wanted(checks)).toBe(0);
    expect(leases.tryAdmit(checks)).toBe(false);
  });
});
