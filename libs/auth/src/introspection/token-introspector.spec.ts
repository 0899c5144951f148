import { describe, expect, it } from '@jest/globals';
import type { IdentityClient, Introspection } from '@app/identity';
import type { AuthConfig } from '../auth.config.js';
import { TokenIntrospector } from './token-introspector.js';

/** An Identity whose introspections wait until the test answers them, one by one. */
function identityAnswering() {
  const pending: Array<(answer: Introspection) => void> = [];
  const identity = { introspect: () => new Promise<Introspection>((resolve) => pending.push(resolve)) } as unknown as IdentityClient;
  return { identity, pending };
}

const active = (sub: string, exp?: number) =>
  ({ active: true, type: 'user', sub, organizations: [], roles: [], exp }) as unknown as Introspection;
const tick = () => new Promise((resolve) => setImmediate(resolve));

const START = 1_000_000;

describe('TokenIntrospector', () => {
  const config = { introspectionCacheTtlMs: 30_000 } as AuthConfig;

  /** An introspector over identityAnswering() at START; `later` moves its clock on. */
  function introspectorAnswering() {
    let now = START;
    const { identity, pending } = identityAnswering();
    const introspector = new TokenIntrospector(identity, config, () => now);
    /** A token's first check, Identity answering `answer`. */
    const firstCheck = (token: string, answer: Introspection) => {
      const verified = introspector.verify(token);
      pending.shift()!(answer);
      return verified;
    };
    return { introspector, pending, firstCheck, later: (ms: number) => (now += ms) };
  }

  it('checks a token in steady use again ahead of its TTL, without making the call wait', async () => {
    const { introspector, pending, firstCheck, later } = introspectorAnswering();
    await expect(firstCheck('token-a', active('user-a'))).resolves.toMatchObject({ subject: 'user-a' });

    later(20_000); // 10 s left of 30: not due yet
    await expect(introspector.verify('token-a')).resolves.toMatchObject({ subject: 'user-a' });
    expect(pending).toHaveLength(0);

    later(5_000); // 5 s left: answered from the cache, checked again behind it (once, however many calls)
    await expect(introspector.verify('token-a')).resolves.toMatchObject({ subject: 'user-a' });
    await expect(introspector.verify('token-a')).resolves.toMatchObject({ subject: 'user-a' });
    expect(pending).toHaveLength(1);
    pending.shift()!(active('user-a'));
    await tick();

    later(20_000); // past the first answer's TTL, within the second's
    await expect(introspector.verify('token-a')).resolves.toMatchObject({ subject: 'user-a' });
    expect(pending).toHaveLength(0);
  });

  it('refuses a token from the moment a check ahead of time finds it revoked, and never trusts an answer past its TTL', async () => {
    const { introspector, pending, firstCheck, later } = introspectorAnswering();
    await firstCheck('token-b', active('user-b'));

    later(26_000);
    await introspector.verify('token-b');
    pending.shift()!({ active: false });
    await tick();
    const refused = introspector.verify('token-b');
    pending.shift()!({ active: false });
    await expect(refused).rejects.toMatchObject({ status: 401 });

    // A check ahead of time that never answers: at the TTL's end the call waits for Identity again.
    await firstCheck('token-c', active('user-c'));
    later(26_000);
    await introspector.verify('token-c');
    expect(pending).toHaveLength(1);
    later(5_000);
    let settled = false;
    const waiting = introspector.verify('token-c').finally(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    pending.shift()!(active('user-c'));
    await expect(waiting).resolves.toMatchObject({ subject: 'user-c' });
  });

  it('does not ask again ahead of time for a token whose own expiry ends the answer', async () => {
    const { introspector, pending, firstCheck, later } = introspectorAnswering();
    await firstCheck('token-d', active('user-d', (START + 10_000) / 1000)); // the token expires in 10 s
    later(8_000);
    await introspector.verify('token-d');
    expect(pending).toHaveLength(0);
  });
});
