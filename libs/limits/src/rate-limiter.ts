import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { limitsConfig, type LimitsConfig, type RateLimit } from './limits.config.js';
import { COUNTER_STORE, type AddedCounter, type CounterAddition, type CounterStore } from './counter-store.js';
import type { LimitRule } from './limit-rule.js';

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
 * Per-user and per-org limits in requests and tokens per minute, enforced before the upstream call
 * (CallLimits checks them with the budgets in one store operation). Token use is only known
 * afterwards, so a caller over its token budget is refused on the next call.
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

  /**
   * The counters a call is checked against: token counters only checked (tokens are added once
   * known), request counters counted. Refused with 429 RATE_LIMITED (with retryAfterMs).
   */
  rules(subject: RateLimitSubject): LimitRule[] {
    const scopes = this.scopes(subject);
    const rule = (scope: Scope, kind: 'requests' | 'tokens', limit: number): LimitRule => ({
      counter: { key: counterKey(scope, kind), limit, windowMs: MINUTE_MS, take: kind === 'requests' },
      refusal: (_count, resetMs) => limited(`${limit} ${kind} per minute for this ${scope.name}`, resetMs),
    });
    return [
      ...scopes.filter(({ limit }) => limit.tpm > 0).map((scope) => rule(scope, 'tokens', scope.limit.tpm)),
      ...scopes.filter(({ limit }) => limit.rpm > 0).map((scope) => rule(scope, 'requests', scope.limit.rpm)),
    ];
  }

  /** What a finished call's tokens add to its per-minute token counters (tokenCounters). */
  tokenAdditions(counters: readonly AddedCounter[], tokens: number): CounterAddition[] {
    return tokens > 0 ? counters.map(({ key, windowMs }) => ({ key, amount: tokens, windowMs })) : [];
  }

  /** The per-minute token counters a finished call's tokens are added to. */
  tokenCounters(subject: RateLimitSubject): AddedCounter[] {
    return this.scopes(subject)
      .filter(({ limit }) => limit.tpm > 0)
      .map((scope) => ({ key: counterKey(scope, 'tokens'), windowMs: MINUTE_MS }));
  }

  /** The subject's configured limits and their use this minute, read without counting anything. Throws if the store is down. */
  async headroom(subject: RateLimitSubject): Promise<RateLimitHeadroom[]> {
    const counters = this.scopes(subject).flatMap((scope) =>
      (['requests', 'tokens'] as const)
        .map((kind) => ({ scope, kind, limitPerMinute: kind === 'requests' ? scope.limit.rpm : scope.limit.tpm }))
        .filter(({ limitPerMinute }) => limitPerMinute > 0),
    );
    const used = await this.store.read(counters.map(({ scope, kind }) => ({ key: counterKey(scope, kind), windowMs: MINUTE_MS })));
    return counters.map(({ scope, kind, limitPerMinute }, index) => ({
      scope: scope.name,
      id: scope.id,
      kind,
      limitPerMinute,
      used: used[index].count,
      remaining: Math.max(0, limitPerMinute - used[index].count),
      resetMs: used[index].resetMs,
    }));
  }

  private scopes(subject: RateLimitSubject): Scope[] {
    const scopes: Scope[] = [{ name: 'user', id: subject.userId, limit: this.limits.user }];
    if (subject.orgId) scopes.push({ name: 'org', id: subject.orgId, limit: this.limits.org });
    return scopes;
  }
}

type Scope = { name: 'user' | 'org'; id: string; limit: RateLimit };

const counterKey = ({ name, id }: Scope, kind: 'requests' | 'tokens'): string => `rl:${name}:${id}:${kind}`;

function limited(what: string, resetMs: number): GatewayError {
  return new GatewayError('RATE_LIMITED', `Rate limit reached: ${what}`, { retryAfterMs: Math.max(1, Math.ceil(resetMs)) });
}
