import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM in the Identity service's stored layout, `ivHex:authTagHex:cipherHex`, with a fresh
 * random 96-bit IV per record. Decryption checks the auth tag, so a wrong key or a tampered record
 * fails loudly instead of yielding garbage.
 */
export class VaultCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The vault key must be 32 bytes');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${iv.toString('hex')}:${cipher.getAuthTag().toString('hex')}:${encrypted.toString('hex')}`;
  }

  /** Throws if the record was not encrypted with this key or was altered. */
  decrypt(record: string): string {
    const [ivHex, tagHex, cipherHex] = record.split(':');
    if (!ivHex || !tagHex || cipherHex === undefined) throw new Error('Malformed vault record');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(ivHex, 'hex'));
    decipher.setAuthTag(Buffer.from(tagHex, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(cipherHex, 'hex')), decipher.final()]).toString('utf8');
  }
}
