import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface ResponseCacheConfig {
  /** Cache deterministic calls (temperature 0, or a seed) without the caller asking. */
  deterministic: boolean;
  /** TTL of those, and of a `cache: {}` that names none. */
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  /** The in-memory cache (without REDIS_URL) keeps at most this many answers. */
  maxEntries: number;
  /** Answers larger than this (serialized) are not cached. */
  maxEntryBytes: number;
}

class ResponseCacheVariables {
  @IsIn(['true', 'false'])
  RESPONSE_CACHE_DETERMINISTIC = 'false';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  RESPONSE_CACHE_DEFAULT_TTL_SECONDS = 300;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  RESPONSE_CACHE_MAX_TTL_SECONDS = 86_400;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RESPONSE_CACHE_MAX_ENTRIES = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  RESPONSE_CACHE_MAX_ENTRY_BYTES = 1024 * 1024;
}

export const responseCacheConfig = configSlice('responseCache', ResponseCacheVariables, (env): ResponseCacheConfig => ({
  deterministic: env.RESPONSE_CACHE_DETERMINISTIC === 'true',
  defaultTtlSeconds: env.RESPONSE_CACHE_DEFAULT_TTL_SECONDS,
  maxTtlSeconds: env.RESPONSE_CACHE_MAX_TTL_SECONDS,
  maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES,
  maxEntryBytes: env.RESPONSE_CACHE_MAX_ENTRY_BYTES,
}));
