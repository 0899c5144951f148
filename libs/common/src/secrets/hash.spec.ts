import { describe, expect, it } from '@jest/globals';
import { secretsEqual, sha256Hex } from './hash.js';

describe('secret hashes', () => {
  it('sha256Hex is the SHA-256 of the text, in lower-case hex (FIPS 180-2 test vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('tök€n')).toHaveLength(64);
    expect(sha256Hex('tök€n')).not.toBe(sha256Hex('token'));
  });

  it('secretsEqual compares whole secrets of any length', () => {
    expect(secretsEqual('sk-abc', 'sk-abc')).toBe(true);
    expect(secretsEqual('sk-abc', 'sk-abcd')).toBe(false);
  });
});
