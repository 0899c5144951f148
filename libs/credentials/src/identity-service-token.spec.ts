import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { IdentityServiceToken } from './identity-service-token.js';

describe('IdentityServiceToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'identity-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the static token when no file is configured', () => {
    expect(new IdentityServiceToken('static-token-0123456789', undefined).current()).toBe('static-token-0123456789');
  });

  it('reads the file, and reads it again once it changed (checked at most once a second)', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'first-token-0123456789\n');
    utimesSync(file, 1000, 1000);
    let now = 0;
    const token = new IdentityServiceToken('ignored-static-token', file, () => now);
    expect(token.current()).toBe('first-token-0123456789');

    writeFileSync(file, 'second-token-0123456789\n');
    utimesSync(file, 2000, 2000);
    now = 999;
    expect(token.current()).toBe('first-token-0123456789');
    now = 1000;
    expect(token.current()).toBe('second-token-0123456789');

    rmSync(file);
    now = 2000;
    expect(token.current()).toBe('second-token-0123456789');
  });
});
