import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';
import { COMMAND_TIMEOUT_MS } from './redis-counter.store.js';

export interface RateLimit {
  /** Requests per minute; 0 = unlimited. */
  rpm: number;
  /** Tokens per minute; 0 = unlimited. */
  tpm: number;
}

export interface Budget {
  /** USD per UTC day; 0 = no cap. */
  dailyUsd: number;
  /** USD per calendar month (UTC); 0 = no cap. */
  monthlyUsd: number;
}

export interface LimitsConfig {
  redisUrl?: string;
  /** How often slots a replica leased ahead in Redis re-read the counters while they admit a caller's calls; 0 = every call checked in Redis. */
  leaseMs: number;
  /** With Redis: how long a command may go unanswered before Redis counts as unreachable (limits then fail open). */
  redisCommandTimeoutMs: number;
  user: RateLimit;
  org: RateLimit;
  budgets: { user: Budget; org: Budget };
}

class LimitsVariables {
  /** Redis for counters shared by every replica (rate limits); in-memory counters when unset. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string = undefined;

  /**
   * With Redis: for how long a replica admits a steady caller's calls from slots it took ahead in
   * the shared counters (no round trip) before a call re-reads token and spend counters behind it;
   * the slots are held HOLD_LEASE_TIMES as long for a caller that pauses. 0 checks every call in Redis.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  RATE_LIMIT_LEASE_MS = 5_000;

  /**
   * How long a Redis command may go unanswered before Redis counts as unreachable: limits and
   * budgets then let calls through until a probe is answered. Loopback and LAN round trips take
   * well under a millisecond; raise it for a Redis farther away, or under a profiler.
   */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  REDIS_COMMAND_TIMEOUT_MS = COMMAND_TIMEOUT_MS;

  /** Requests per minute per user; 0 = no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_USER_RPM = 0;

  /** Tokens (prompt + completion) per minute per user; 0 = no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_USER_TPM = 0;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ORG_RPM = 0;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ORG_TPM = 0;

  /** Spend caps in USD per UTC day / calendar month; 0 = no cap. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_USER_DAILY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_USER_MONTHLY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_ORG_DAILY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_ORG_MONTHLY_USD = 0;
}

export const limitsConfig = configSlice('limits', LimitsVariables, (env): LimitsConfig => ({
  redisUrl: env.REDIS_URL,
  leaseMs: env.RATE_LIMIT_LEASE_MS,
  redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
  user: { rpm: env.RATE_LIMIT_USER_RPM, tpm: env.RATE_LIMIT_USER_TPM },
  org: { rpm: env.RATE_LIMIT_ORG_RPM, tpm: env.RATE_LIMIT_ORG_TPM },
  budgets: {
    user: { dailyUsd: env.BUDGET_USER_DAILY_USD, monthlyUsd: env.BUDGET_USER_MONTHLY_USD },
    org: { dailyUsd: env.BUDGET_ORG_DAILY_USD, monthlyUsd: env.BUDGET_ORG_MONTHLY_USD },
  },
}));
