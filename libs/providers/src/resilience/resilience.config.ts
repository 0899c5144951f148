import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface ResilienceConfig {
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; deadlineMs: number };
  circuit: { failureRate: number; minCalls: number; windowMs: number; cooldownMs: number };
}

class ResilienceVariables {
  /** Attempts per provider call, the first included (1 = never retry). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  RETRY_MAX_ATTEMPTS = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  RETRY_BASE_DELAY_MS = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300_000)
  RETRY_MAX_DELAY_MS = 10_000;

  /** No retry starts after this much time since the call began. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  RETRY_DEADLINE_MS = 30_000;

  /** A provider's circuit opens when this share of recent calls failed… */
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(1)
  CIRCUIT_FAILURE_RATE = 0.5;

  /** …among at least this many calls… */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CIRCUIT_MIN_CALLS = 5;

  /** …within this window. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  CIRCUIT_WINDOW_MS = 30_000;

  /** How long an open circuit refuses calls before one trial call is let through. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  CIRCUIT_COOLDOWN_MS = 30_000;
}

export const resilienceConfig = configSlice('resilience', ResilienceVariables, (env): ResilienceConfig => ({
  retry: {
    maxAttempts: env.RETRY_MAX_ATTEMPTS,
    baseDelayMs: env.RETRY_BASE_DELAY_MS,
    maxDelayMs: env.RETRY_MAX_DELAY_MS,
    deadlineMs: env.RETRY_DEADLINE_MS,
  },
  circuit: {
    failureRate: env.CIRCUIT_FAILURE_RATE,
    minCalls: env.CIRCUIT_MIN_CALLS,
    windowMs: env.CIRCUIT_WINDOW_MS,
    cooldownMs: env.CIRCUIT_COOLDOWN_MS,
  },
}));
