import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, SingleFlight, TtlCache, refreshAheadDue, sha256Hex, type Clock } from '@app/common';
import { authConfig, type AuthConfig } from '../auth.config.js';
import { IdentityClient, type Introspection, type UserIntrospection } from '@app/identity';
import { unauthenticated } from '../jwt/jwt-passport.guard.js';
import type { VerifiedToken } from '../verified-token.js';

/**
 * Validates tokens by asking the Identity service. Positive answers are cached for a short TTL (never
 * past the token's own expiry) under a hash of the token, never the token itself; concurrent checks
 * of one token share a single call. A call in the last fifth of an answer's TTL is served from the
 * cache while the token is checked again in the background, so a token in steady use never waits on
 * Identity (the answer is never trusted past its TTL: a refused or failed check lets it run out).
 */
@Injectable()
export class TokenIntrospector {
  private readonly cache: TtlCache<string, VerifiedToken>;
  private readonly flights = new SingleFlight<string, VerifiedToken | null>();
  private readonly ttlMs: number;

  constructor(
    private readonly identity: IdentityClient,
    @Inject(authConfig.token) auth: AuthConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.ttlMs = auth.introspectionCacheTtlMs;
    this.cache = new TtlCache(10_000, now);
  }

  async verify(token: string): Promise<VerifiedToken> {
    const key = sha256Hex(token);
    const cached = this.cache.entry(key);
    if (cached && this.refreshDue(cached.value, cached.remainingMs)) {
      void this.flights.run(key, () => this.introspect(key, token)).catch(() => undefined);
    }
    const verified = cached?.value ?? (await this.flights.run(key, () => this.introspect(key, token)));
    if (!verified || (verified.expiresAtMs !== undefined && verified.expiresAtMs <= this.now())) throw unauthenticated();
    return verified;
  }

  /** In the last fifth of its TTL, unless the token itself ends by then (asking again would not extend it). */
  private refreshDue(verified: VerifiedToken, remainingMs: number): boolean {
    if (!refreshAheadDue(remainingMs, this.ttlMs)) return false;
    return verified.expiresAtMs === undefined || verified.expiresAtMs - this.now() > remainingMs;
  }

  private async introspect(key: string, token: string): Promise<VerifiedToken | null> {
    const answer = await this.identity.introspect(token);
    const verified = toVerifiedToken(answer);
    if (verified) {
      const untilExpiry = verified.expiresAtMs === undefined ? this.ttlMs : verified.expiresAtMs - this.now();
      this.cache.set(key, verified, Math.min(this.ttlMs, untilExpiry));
    } else {
      this.cache.delete(key); // refused on a check ahead of time: refused from now on
    }
    return verified;
  }
}

function toVerifiedToken(answer: Introspection): VerifiedToken | null {
  if (!answer.active || typeof answer.sub !== 'string' || answer.sub === '') return null;
  const expiresAtMs = typeof answer.exp === 'number' ? answer.exp * 1000 : undefined;
  if (answer.type === 'agent') {
    return { kind: 'agent', subject: answer.sub, organizations: answer.orgId ? [answer.orgId] : [], roles: [], expiresAtMs };
  }
  const organizations = (Array.isArray(answer.organizations) ? answer.organizations : []).filter(
    (organization): organization is { id: string; role?: string } =>
      organization !== null && typeof organization === 'object' && typeof organization.id === 'string',
  );
  return {
    kind: 'user',
    subject: answer.sub,
    // Identity lists organizations in no defined order: sorted, "the first" is the same on every call.
    organizations: organizations.map((organization) => organization.id).sort(),
    roles: globalRoles(answer),
    organizationRoles: Object.fromEntries(
      organizations
        .filter((organization) => typeof organization.role === 'string')
        .map((organization) => [organization.id, organization.role!]),
    ),
    expiresAtMs,
  };
}

/** Identity's roles, plus `admin` for a platform super admin (`isSuperAdmin`). */
function globalRoles(answer: UserIntrospection): string[] {
  const roles = (Array.isArray(answer.roles) ? answer.roles : []).filter((role): role is string => typeof role === 'string');
  return answer.isSuperAdmin === true && !roles.includes('admin') ? [...roles, 'admin'] : roles;
}
