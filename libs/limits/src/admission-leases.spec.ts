import { describe, expect, it } from '@jest/globals';
import { AdmissionLeases, MAX_LEASED_SLOTS } from './admission-leases.js';
import type { CounterCheck } from './counter-store.js';

const checksOfOneSubject = (): CounterCheck[] => [{ key: 'user:u1:requests', limit: 1_000, windowMs: 60_000, take: true }];

function leasesAt(leaseMs: number) {
  let now = 1_000_000;
  const leases = new AdmissionLeases(leaseMs, () => now);
  return { leases, advance: (ms: number) => (now += ms) };
}

describe('AdmissionLeases', () => {
  it('asks for no slots ahead on a subject’s first call, and admits nothing before the store has answered', () => {
    const { leases } = leasesAt(5_000);
    const checks = checksOfOneSubject();
    expect(leases.wanted(checks)).toBe(0);
    expect(leases.tryAdmit(checks)).toBe(false);
  });

  it('admits exactly the slots the store granted, then sends the next call to the store again', () => {
    const { leases } = leasesAt(5_000);
    const checks = checksOfOneSubject();
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

  it('grows what a steady caller asks for with what it used, up to the most a call may take', () => {
    const { leases, advance } = leasesAt(5_000);
    const checks = checksOfOneSubject();
    leases.allowed(checks, 0, 60_000);
    advance(1_000);
    expect(leases.wanted(checks)).toBe(1);
    leases.allowed(checks, 4, 59_000);
    for (let call = 0; call < 4; call++) leases.tryAdmit(checks);
    expect(leases.wanted(checks)).toBe(9);
    leases.allowed(checks, 100, 58_000);
    for (let call = 0; call < 100; call++) leases.tryAdmit(checks);
    expect(leases.wanted(checks)).toBe(MAX_LEASED_SLOTS);
    // Not seen within the lease time: a lone call again.
    advance(5_001);
    expect(leases.wanted(checks)).toBe(0);
  });

  it('lets slots lapse after the lease time, or sooner when the counted window ends first', () => {
    const { leases, advance } = leasesAt(5_000);
    const checks = checksOfOneSubject();
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

  it('adds the slots of two answers in flight together, keeping the earlier end', () => {
    const { leases, advance } = leasesAt(5_000);
    const checks = checksOfOneSubject();
    leases.allowed(checks, 1, 1_000);
    leases.allowed(checks, 2, 60_000);
    advance(999);
    expect([leases.tryAdmit(checks), leases.tryAdmit(checks), leases.tryAdmit(checks)]).toEqual([true, true, true]);
    advance(1);
    leases.allowed(checks, 1, 60_000);
    expect(leases.tryAdmit(checks)).toBe(true);
  });

  it('drops what is left once the store refuses a call', () => {
    const { leases } = leasesAt(5_000);
    const checks = checksOfOneSubject();
    leases.allowed(checks, 5, 60_000);
    leases.refused(checks);
    expect(leases.tryAdmit(checks)).toBe(false);
    expect(leases.wanted(checks)).toBe(0);
  });

  it('with no lease time, never asks for slots nor admits without the store', () => {
    const { leases, advance } = leasesAt(0);
    const checks = checksOfOneSubject();
    leases.allowed(checks, 5, 60_000);
    advance(1);
    expect(leases.wanted(checks)).toBe(0);
    expect(leases.tryAdmit(checks)).toBe(false);
  });
});
