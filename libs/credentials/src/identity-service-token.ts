import { readFileSync, statSync } from 'node:fs';
import type { Clock } from '@app/common';

/** How often the token file is looked at for a change. */
const RECHECK_MS = 1_000;

/**
 * The gateway's own token for Identity credential lookups (callers with a service key have none of
 * their own). Static from IDENTITY_SERVICE_TOKEN, or read from IDENTITY_SERVICE_TOKEN_FILE and read
 * again whenever the file changes: Identity tokens expire, and a projected Kubernetes token is
 * rotated in place, so a restart must not be needed to pick up the new one.
 */
export class IdentityServiceToken {
  private token: string | undefined;
  private modifiedAtMs = -1;
  private checkedAt = -Infinity;

  constructor(
    private readonly staticToken: string | undefined,
    private readonly file: string | undefined,
    private readonly now: Clock = Date.now,
  ) {
    this.token = staticToken;
  }

  current(): string | undefined {
    if (!this.file) return this.staticToken;
    const now = this.now();
    if (now - this.checkedAt < RECHECK_MS) return this.token;
    this.checkedAt = now;
    try {
      const modifiedAtMs = statSync(this.file).mtimeMs;
      if (modifiedAtMs !== this.modifiedAtMs) {
        this.token = readFileSync(this.file, 'utf8').trim() || undefined;
        this.modifiedAtMs = modifiedAtMs;
      }
    } catch {
      // Missing for a moment (a rotation swapping links): keep the token last read.
    }
    return this.token;
  }
}
