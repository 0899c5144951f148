import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { limitsConfig, type LimitsConfig, type RateLimit } from './limits.config.js';
import { COUNTER_STORE, type CounterStore } from './counter-store.js';

const MINUTE_MS = 60_000;

export interface RateLimitSubject {
  userId: string;
  orgId?: string;
}

/** How much of one per-minute limit is left (configured limits only). */
export interface RateLimitHeadroom {
  scope: 'user' | 'org';
  id: string;
  kind: 'requests' | 'tokens';
  limitPerMinute: number;
  used: number;
  remaining: number;
  resetMs: number;
}

/**
 * Per-user and per-org limits in requests and tokens per minute, enforced before the upstream call.
 * Token use is only known afterwards, so a caller over its token budget is refused on the next call.
 * If the counter store (Redis) fails, calls are let through and the failure is logged: a Redis blip
 * must not take the whole gateway down.
 */
@Injectable()
export class RateLimiter {
  private readonly limits: LimitsConfig;

  constructor(
    @Inject(COUNTER_STORE) private readonly store: CounterStore,
    @Inject(limitsConfig.token) limits: LimitsConfig,
  ) {
    this.limits = limits;
  }

  /** Throws 429 RATE_LIMITED (with retryAfterMs) when a limit is reached; else counts the request. */
  async admit(subject: RateLimitSubject): Promise<void> {
    const scopes = this.scopes(subject);
    try {
      // The token counters are only read: all at once, one round trip (the store pipelines them).
      const tokenLimited = scopes.filter(({ limit }) => limit.tpm > 0);
      const used = await Promise.all(tokenLimited.map(({ name, id }) => this.store.read(`rl:${name}:${id}:tokens`, MINUTE_MS)));
      tokenLimited.forEach(({ name, limit }, index) => {
        if (used[index].count >= limit.tpm) throw limited(`${limit.tpm} tokens per minute for this ${name}`, used[index].resetMs);
      });
      for (const { name, id, limit } of scopes) {
        if (limit.rpm <= 0) continue;
        const taken = await this.store.take(`rl:${name}:${id}:requests`, limit.rpm, MINUTE_MS);
        if (!taken.allowed) throw limited(`${limit.rpm} requests per minute for this ${name}`, taken.resetMs);
      }
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      // Fail open: the counter store reports its own outage (one throttled warning, not one per call).
    }
  }

  /** Adds the tokens a finished call used to the caller's per-minute token counters. */
  async recordTokens(subject: RateLimitSubject, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    try {
      for (const { name, id, limit } of this.scopes(subject)) {
        if (limit.tpm > 0) await this.store.add(`rl:${name}:${id}:tokens`, tokens, MINUTE_MS);
      }
    } catch {
      // Lost while the counter store is down; it reports its own outage.
    }
  }

  /** The subject's configured limits and their use this minute, read without counting anything. Throws if the store is down. */
  async headroom(subject: RateLimitSubject): Promise<RateLimitHeadroom[]> {
    const headroom: RateLimitHeadroom[] = [];
    for (const { name, id, limit } of this.scopes(subject)) {
      for (const [kind, limitPerMinute] of [
        ['requests', limit.rpm],
        ['tokens', limit.tpm],
      ] as const) {
        if (limitPerMinute <= 0) continue;
        const used = await this.store.read(`rl:${name}:${id}:${kind}`, MINUTE_MS);
        headroom.push({
          scope: name,
          id,
          kind,
          limitPerMinute,
          used: used.count,
          remaining: Math.max(0, limitPerMinute - used.count),
          resetMs: used.resetMs,
        });
      }
    }
    return headroom;
  }

  private scopes(subject: RateLimitSubject): Array<{ name: 'user' | 'org'; id: string; limit: RateLimit }> {
    const scopes: Array<{ name: 'user' | 'org'; id: string; limit: RateLimit }> = [
      { name: 'user', id: subject.userId, limit: this.limits.user },
    ];
    if (subject.orgId) scopes.push({ name: 'org', id: subject.orgId, limit: this.limits.org });
    return scopes;
  }
}

function limited(what: string, resetMs: number): GatewayError {
  return new GatewayError('RATE_LIMITED', `Rate limit reached: ${what}`, { retryAfterMs: Math.max(1, Math.ceil(resetMs)) });
}
