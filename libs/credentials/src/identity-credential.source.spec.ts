import { describe, expect, it } from '@jest/globals';
import type { SecurityEvents } from '@app/common';
import type { IdentityClient } from '@app/identity';

type IdentityCredential = NonNullable<Awaited<ReturnType<IdentityClient['fetchCredential']>>>;
import type { CredentialsConfig } from './credentials.config.js';
import { MissBeingChecked } from './credential-source.js';
import { IdentityCredentialSource } from './identity-credential.source.js';

/** An Identity whose key lookups wait until the test answers them, one by one. */
function identityAnswering() {
  const pending: Array<(credential: IdentityCredential | null) => void> = [];
  const identity = {
    fetchCredential: () => new Promise<IdentityCredential | null>((resolve) => pending.push(resolve)),
  } as unknown as IdentityClient;
  return { identity, pending };
}

const key = (apiKey: string) => ({ apiKey, credentialId: 'cred-1', isProxy: false }) as IdentityCredential;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const request = { userId: 'user-1', provider: 'openai', bearerToken: 'caller-token-0123456789' };

describe('IdentityCredentialSource', () => {
  const config = { identityCacheTtlMs: 60_000, identityMissCacheTtlMs: 10_000 } as CredentialsConfig;

  /** A source whose first lookup, at time 0, Identity answered with `answer`; `at` moves its clock. */
  async function sourceAnswered(answer: IdentityCredential | null) {
    let now = 0;
    const { identity, pending } = identityAnswering();
    const source = new IdentityCredentialSource(identity, {} as SecurityEvents, config, () => now);
    const first = source.resolve(request);
    pending.shift()!(answer);
    return { source, pending, first: await first, at: (time: number) => (now = time) };
  }

  it('fetches a key in steady use again ahead of its TTL, without making the call wait', async () => {
    const { source, pending, first, at } = await sourceAnswered(key('sk-first-0123456789'));
    expect(first).toMatchObject({ apiKey: 'sk-first-0123456789' });

    at(40_000); // 20 s left of 60: not due
    await expect(source.resolve(request)).resolves.toMatchObject({ apiKey: 'sk-first-0123456789' });
    expect(pending).toHaveLength(0);

    at(50_000); // 10 s left: the cached key now, a new lookup behind it
    await expect(source.resolve(request)).resolves.toMatchObject({ apiKey: 'sk-first-0123456789' });
    expect(pending).toHaveLength(1);
    pending.shift()!(key('sk-rotated-0123456789'));
    await tick();
    at(70_000);
    await expect(source.resolve(request)).resolves.toMatchObject({ apiKey: 'sk-rotated-0123456789' });
    expect(pending).toHaveLength(0);
  });

  it('remembers "no key here" and asks again ahead of its TTL; a key found then is used from the next call', async () => {
    const { source, pending, first, at } = await sourceAnswered(null);
    expect(first).toBeNull();

    at(9_000); // 1 s left of 10
    await expect(source.resolve(request)).resolves.toBeNull();
    expect(pending).toHaveLength(1);
    pending.shift()!(key('sk-new-0123456789'));
    await tick();
    await expect(source.resolve(request)).resolves.toMatchObject({ apiKey: 'sk-new-0123456789' });
    expect(pending).toHaveLength(0);
  });

  it('drops a key from the moment a lookup ahead of time finds none', async () => {
    const { source, pending, at } = await sourceAnswered(key('sk-first-0123456789'));
    at(55_000);
    await source.resolve(request);
    pending.shift()!(null);
    await tick();
    await expect(source.resolve(request)).resolves.toBeNull();
  });

  it('past its TTL, answers "no key here" at once with the lookup checking it, until a key\'s TTL has passed too', async () => {
    const { source, pending, at } = await sourceAnswered(null);

    at(30_000); // the miss is 30 s old: past its 10 s, within the key's 60 s
    const answer = await source.resolve(request);
    expect(answer).toBeInstanceOf(MissBeingChecked);
    expect(pending).toHaveLength(1);
    pending.shift()!(key('sk-added-0123456789'));
    await expect((answer as MissBeingChecked).lookup).resolves.toMatchObject({ apiKey: 'sk-added-0123456789' });
    await expect(source.resolve(request)).resolves.toMatchObject({ apiKey: 'sk-added-0123456789' });
  });

  it('makes the call wait on Identity once "no key here" is older than a key would be kept', async () => {
    const { source, pending, at } = await sourceAnswered(null);

    at(60_001);
    let settled = false;
    const answer = source.resolve(request).then((credential) => ((settled = true), credential));
    await tick();
    expect(settled).toBe(false);
    pending.shift()!(null);
    await expect(answer).resolves.toBeNull();
  });

  it('asks Identity on every call when the miss TTL is 0', async () => {
    let now = 0;
    const { identity, pending } = identityAnswering();
    const source = new IdentityCredentialSource(identity, {} as SecurityEvents, { ...config, identityMissCacheTtlMs: 0 }, () => now);
    const first = source.resolve(request);
    pending.shift()!(null);
    await first;
    now = 1;
    let settled = false;
    void source.resolve(request).then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    expect(pending).toHaveLength(1);
  });
});
