import { describe, expect, it } from '@jest/globals';
import type { CredentialRequest, CredentialSource, ResolvedCredential } from './credential-source.js';
import { CredentialResolver } from './credential.resolver.js';

const request: CredentialRequest = { userId: 'user-1', provider: 'openai' };
const key = (source: string): ResolvedCredential => ({ apiKey: `sk-${source}-0123456789`, source, isProxy: false });

/** A source that answers from memory and, when told to, is asking again in the background. */
function sourceNamed(
  name: string,
  answers: Array<ResolvedCredential | null>,
  recheck?: Promise<unknown>,
): CredentialSource & { asked: number } {
  const source = {
    name,
    asked: 0,
    resolve: () => Promise.resolve(answers[Math.min(source.asked++, answers.length - 1)]),
    recheck: () => recheck,
  };
  return source;
}

describe('CredentialResolver', () => {
  it('takes the first source with a key, in order, without waiting on a background lookup', async () => {
    let finishRecheck!: () => void;
    const recheck = new Promise<void>((resolve) => (finishRecheck = resolve));
    const identity = sourceNamed('identity', [null], recheck);
    const vault = sourceNamed('vault', [key('vault')]);

    await expect(new CredentialResolver([identity, vault]).resolve(request)).resolves.toMatchObject({ source: 'vault' });
    finishRecheck();
  });

  it('before answering that no key exists, waits for a background lookup and asks every source again', async () => {
    let finishRecheck!: () => void;
    const recheck = new Promise<void>((resolve) => (finishRecheck = resolve));
    const identity = sourceNamed('identity', [null, key('identity')], recheck);
    const vault = sourceNamed('vault', [null]);

    const answer = new CredentialResolver([identity, vault]).resolve(request);
    finishRecheck();

    await expect(answer).resolves.toMatchObject({ source: 'identity' });
    expect(identity.asked).toBe(2);
  });

  it('answers CREDENTIAL_NOT_FOUND when no source has a key, after a failed background lookup too', async () => {
    const failedLookup = Promise.reject(new Error('Identity is down'));
    failedLookup.catch(() => undefined); // handled here; the resolver still sees it rejected
    const identity = sourceNamed('identity', [null], failedLookup);
    const vault = sourceNamed('vault', [null]);

    await expect(new CredentialResolver([identity, vault]).resolve(request)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    expect(vault.asked).toBe(2);
  });
});
