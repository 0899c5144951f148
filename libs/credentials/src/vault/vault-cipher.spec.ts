import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { VaultCipher } from './vault-cipher.js';

describe('VaultCipher (AES-256-GCM, ivHex:authTagHex:cipherHex)', () => {
  const cipher = new VaultCipher(randomBytes(32));

  it('round-trips a key', () => {
    expect(cipher.decrypt(cipher.encrypt('sk-proj-roundTrip0123'))).toBe('sk-proj-roundTrip0123');
  });

  it("stores Identity's layout with a fresh 96-bit IV per record", () => {
    const first = cipher.encrypt('same text');
    const second = cipher.encrypt('same text');

    expect(first).toMatch(/^[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+$/);
    expect(first.split(':')[0]).not.toBe(second.split(':')[0]);
    expect(first).not.toContain('same text');
  });

  it('refuses to decrypt with the wrong key instead of returning garbage', () => {
    const record = cipher.encrypt('sk-proj-secret');

    expect(() => new VaultCipher(randomBytes(32)).decrypt(record)).toThrow();
  });

  it('detects a tampered record through the auth tag', () => {
    const [iv, tag, body] = cipher.encrypt('sk-proj-secret').split(':') as [string, string, string];
    const flipped = (parseInt(body.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + body.slice(2);

    expect(() => cipher.decrypt(`${iv}:${tag}:${flipped}`)).toThrow();
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new VaultCipher(randomBytes(16))).toThrow('32 bytes');
  });
});
