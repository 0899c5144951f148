import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '@app/common';
import { MissBeingChecked, type CredentialRequest, type CredentialSource, type ResolvedCredential } from './credential-source.js';
import { CredentialResolver } from './credential.resolver.js';

const request: CredentialRequest = { userId: 'user-1', provider: 'openai' };
const key = (source: string): ResolvedCredential => ({ apiKey: `sk-${source}-0123456789`, source, isProxy: false });
const answering = (name: string, answer: ResolvedCredential | null | MissBeingChecked): CredentialSource => ({
  name,
  resolve: () => Promise.resolve(answer),
});

/** A lookup the test settles by hand. */
function lookup() {
  let settle!: (credential: ResolvedCredential | null) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<ResolvedCredential | null>((resolve, reject) => ((settle = resolve), (fail = reject)));
  return { promise, settle, fail };
}

describe('CredentialResolver', () => {
  it('goes on to the next source past a "not here" being checked, without waiting for the check', async () => {
    const check = lookup();
    const resolver = new CredentialResolver([answering('identity', new MissBeingChecked(check.promise)), answering('vault', key('vault'))]);

    await expect(resolver.resolve(request)).resolves.toMatchObject({ source: 'vault' });
    check.fail(new Error('Identity is down')); // nobody awaits it: no unhandled rejection
  });

  it('waits for the check when no later source has a key, and takes the key it finds', async () => {
    const check = lookup();
    const resolver = new CredentialResolver([answering('identity', new MissBeingChecked(check.promise)), answering('vault', null)]);

    const answer = resolver.resolve(request);
    check.settle(key('identity'));

    await expect(answer).resolves.toMatchObject({ source: 'identity' });
  });

  it("fails the call with the check's failure when no later source has a key", async () => {
    const check = lookup();
    const resolver = new CredentialResolver([answering('identity', new MissBeingChecked(check.promise)), answering('vault', null)]);

    const answer = resolver.resolve(request);
    check.fail(new GatewayError('IDENTITY_UNAVAILABLE', 'Identity did not answer'));

    await expect(answer).rejects.toMatchObject({ code: 'IDENTITY_UNAVAILABLE' });
  });

  it('answers CREDENTIAL_NOT_FOUND when the check finds no key either', async () => {
    const check = lookup();
    const resolver = new CredentialResolver([answering('identity', new MissBeingChecked(check.promise)), answering('vault', null)]);

    const answer = resolver.resolve(request);
    check.settle(null);

    await expect(answer).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });
});
