import { describe, expect, it } from '@jest/globals';
import { AdmissionLeases, HOLD_LEASE_TIMES, MAX_LEASED_SLOTS } from './admission-leases.js';
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

  it('holds slots for a subject that pauses, six lease times at most, or until the counted window ends', () => {
    const { leases, checks, advance } = leasesAt(5_000);
    leases.allowed(checks, 10, 60_000);
    advance(5_000 * HOLD_LEASE_TIMES - 1);
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
    advance(5_000 * HOLD_LEASE_TIMES - 1);
    expect(leases.lapsed()).toEqual([]);
    advance(1);
    expect(leases.lapsed()).toEqual([{ checks, slots: 9, takenMsAgo: 5_000 * HOLD_LEASE_TIMES }]);
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

  it('drops what is left once the store refuses at a checked-only limit, keeps the slots held at a counted one', () => {
    const { leases, checks } = leasesAt(5_000);
    leases.allowed(checks, 5, 60_000);
    leases.refused(checks, false);
    expect(leases.tryAdmit(checks)).toBe(false);
    expect(leases.wanted(checks)).toBe(0);

    // Requests at their limit: the slots held were taken in that very counter, so they are still this replica's.
    leases.allowed(checks, 2, 60_000);
    leases.refused(checks, true);
    expect([leases.tryAdmit(checks), leases.tryAdmit(checks), leases.tryAdmit(checks)]).toEqual([true, true, false]);
  });

  describe('renewal', () => {
    /** A subject seen twice, `paceMs` apart: the second call took `slots` ahead, in a window that ends `windowMs` after the first. */
    function steadySubject(paceMs: number, slots: number, windowMs = 60_000) {
      const subject = leasesAt(5_000);
      subject.leases.allowed(subject.checks, 0, windowMs);
      subject.advance(paceMs);
      subject.leases.allowed(subject.checks, slots, windowMs - paceMs);
      return subject;
    }

    it('renews a steady subject’s lease once its slots or time run low, asking for what its pace wants, once at a time', () => {
      const { leases, checks, advance } = steadySubject(1_000, 5);
      for (let call = 0; call < 2; call++) {
        advance(1_000);
        expect(leases.tryAdmit(checks)).toBe(true);
        expect(leases.renewal(checks)).toBe(0);
      }
      advance(1_000);
      expect(leases.tryAdmit(checks)).toBe(true);
      // Two slots and two seconds left: after the next call at one a second, less than a quarter of
      // the lease time. Five calls within the lease at that pace: three more.
      expect(leases.renewal(checks)).toBe(3);
      expect(leases.renewal(checks)).toBe(0); // on its way
    });

    it('renews a subject calling every few seconds before its lease can end between two of its calls', () => {
      const { leases, checks, advance } = steadySubject(1_600, 6);
      advance(1_600);
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewal(checks)).toBe(0); // 3.4 s left: its next call and a quarter of the lease time fit
      advance(1_600);
      expect(leases.tryAdmit(checks)).toBe(true);
      // 1.8 s left, slots to spare: a renewal for the time, taking the one slot that tells whether the store still leases.
      expect(leases.renewal(checks)).toBe(1);
      leases.renewed(checks, 1, 50_000);
      advance(1_900); // its next call, a little late
      expect(leases.tryAdmit(checks)).toBe(true);
    });

    it('says how long a renewal may wait: until the slots held run out at the subject’s pace, or lapse', () => {
      const slow = steadySubject(1_600, 6);
      slow.advance(1_600);
      slow.leases.tryAdmit(slow.checks);
      expect(slow.leases.renewalSlackMs(slow.checks)).toBe(5 * 1_600);
      slow.advance(1_600);
      slow.leases.tryAdmit(slow.checks);
      // Four calls' worth of slots, but they lapse 6 × 5 s after the store's latest answer (3.2 s ago).
      expect(slow.leases.renewalSlackMs(slow.checks)).toBe(4 * 1_600);
      const fast = steadySubject(10, 3);
      fast.advance(10);
      fast.leases.tryAdmit(fast.checks);
      expect(fast.leases.renewalSlackMs(fast.checks)).toBe(2 * 10);
      fast.leases.tryAdmit(fast.checks);
      fast.leases.tryAdmit(fast.checks);
      expect(fast.leases.renewalSlackMs(fast.checks)).toBe(0); // none left: its next call waits on the store
      expect(fast.leases.renewalSlackMs(checksOfOneSubject())).toBe(0); // no lease at all
    });

    it('never lets a renewal wait past the time its slots lapse', () => {
      const { leases, checks, advance } = steadySubject(4_000, 64);
      advance(4_000 * 6); // a pause just short of the hold: 64 slots at its pace would outlast it
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewalSlackMs(checks)).toBe(5_000 * HOLD_LEASE_TIMES - 4_000 * 6);
    });

    it('restarts the lease time with the renewal’s answer, so a steady subject’s calls never go to the store', () => {
      const { leases, checks, advance } = steadySubject(1_000, 5);
      for (let call = 0; call < 30; call++) {
        advance(1_000);
        expect(leases.tryAdmit(checks)).toBe(true);
        const ahead = leases.renewal(checks);
        if (ahead > 0) leases.renewed(checks, ahead, 58_000 - call * 1_000); // the same window, ending 60 s after the first call
      }
      // Topped up to what the pace wants, not piled up: a lapse gives back at most about five calls' slots.
      expect(leases.lapsed(true)[0].slots).toBeLessThanOrEqual(6);
    });

    it('keeps a subject calling every two to three seconds, unevenly, out of the store without piling up slots', () => {
      const { leases, checks, advance } = steadySubject(2_000, 2, 600_000);
      // Each gap at most a quarter of the lease time longer than the one before it.
      const paces = [1_800, 2_600, 2_200, 3_000, 2_000, 2_400];
      let windowLeft = 598_000;
      for (let call = 0; call < 60; call++) {
        const pace = paces[call % paces.length];
        advance(pace);
        windowLeft -= pace;
        expect(leases.tryAdmit(checks)).toBe(true);
        const ahead = leases.renewal(checks);
        if (ahead > 0) leases.renewed(checks, ahead, windowLeft);
      }
      // At most what the fastest pace here wants within the lease (two calls), and the one slot a renewal for the time takes.
      expect(leases.lapsed(true)[0].slots).toBeLessThanOrEqual(3);
    });

    it('renews late in the lease time with slots left, unless the counted window ends first', () => {
      const { leases, checks, advance } = steadySubject(1_000, 20);
      for (let call = 0; call < 2; call++) {
        advance(1_000);
        expect(leases.tryAdmit(checks)).toBe(true);
        expect(leases.renewal(checks)).toBe(0);
      }
      advance(1_000); // 2 s of the lease left
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewal(checks)).toBe(1); // slots enough: one, to learn whether the store still leases

      const ending = steadySubject(1_000, 20, 4_000); // the window ends 2 s before the lease would
      ending.advance(2_000);
      expect(ending.leases.tryAdmit(ending.checks)).toBe(true);
      expect(ending.leases.renewal(ending.checks)).toBe(0);
    });

    it('keeps the slots it holds, without more time, when the store took nothing (a counter near its limit)', () => {
      const { leases, checks, advance } = steadySubject(1_000, 3);
      advance(3_000);
      leases.tryAdmit(checks);
      expect(leases.renewal(checks)).toBeGreaterThan(0);
      leases.renewed(checks, 0, -1);
      advance(1_999); // the lease was taken 5 s ago, less a millisecond
      expect(leases.tryAdmit(checks)).toBe(true);
      advance(1);
      expect(leases.tryAdmit(checks)).toBe(false);
      expect(leases.lapsed(true)).toEqual([{ checks, slots: 1, takenMsAgo: 5_000 }]);
    });

    it('re-reads the counters with the first call after the lease time, however slowly the subject calls', () => {
      const { leases, checks, advance } = steadySubject(1_000, 4);
      advance(1_000);
      expect(leases.tryAdmit(checks)).toBe(true); // fresh, slots and time to spare at this pace: nothing due
      expect(leases.renewal(checks)).toBe(0);
      advance(12_000); // back after a pause: admitted from the held slots, the renewal goes out behind it
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewal(checks)).toBe(1);
      expect(leases.renewal(checks)).toBe(0); // on its way
      leases.renewed(checks, 1, 42_000);
      // The answer restarts both times: fresh for another lease time, held for six.
      expect(leases.renewal(checks)).toBe(0);
      advance(5_000 * HOLD_LEASE_TIMES - 1);
      expect(leases.tryAdmit(checks)).toBe(true);
    });

    it('after a pause, holds slots no longer than the lease time once the store takes nothing more (a counter near its limit)', () => {
      const { leases, checks, advance } = steadySubject(1_000, 4);
      advance(8_000);
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewal(checks)).toBe(1);
      leases.renewed(checks, 0, 51_000);
      // Stale and near a limit: what is left lapses at once, and goes back to the window.
      expect(leases.tryAdmit(checks)).toBe(false);
      expect(leases.lapsed()).toEqual([{ checks, slots: 3, takenMsAgo: 8_000 }]);
    });

    it('replaces the slots of an ended window with those of the new one, with their own take time', () => {
      const { leases, checks, advance } = steadySubject(1_000, 2, 2_500); // the window ends 1.5 s from now
      advance(1_000);
      leases.tryAdmit(checks);
      expect(leases.renewal(checks)).toBeGreaterThan(0);
      advance(600);
      leases.renewed(checks, 3, 59_900);
      expect(leases.lapsed(true)).toEqual([{ checks, slots: 3, takenMsAgo: 0 }]);
    });

    it('after a failed renewal, lets a later call try again with the slots still held', () => {
      const { leases, checks, advance } = steadySubject(1_000, 2);
      advance(1_000);
      leases.tryAdmit(checks);
      expect(leases.renewal(checks)).toBe(4);
      leases.renewalFailed(checks);
      advance(1_000);
      expect(leases.tryAdmit(checks)).toBe(true);
      expect(leases.renewal(checks)).toBe(5);
    });
  });

  it('with no lease time, never asks for slots nor admits without the store', () => {
    const { leases, checks, advance } = leasesAt(0);
    leases.allowed(checks, 5, 60_000);
    advance(1);
    expect(leases.wanted(checks)).toBe(0);
    expect(leases.tryAdmit(checks)).toBe(false);
  });
});
