import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, ThrottledWarning, type Clock } from '@app/common';
import { responseCacheConfig, type ResponseCacheConfig } from '@app/config';
import { limitsConfig, type LimitsConfig } from '@app/limits';
import type { NormalizedResponse } from '@app/normalization';
import type { PreparedCall } from '@app/providers';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MemoryResponseCacheStore, RedisResponseCacheStore, type ResponseCacheStore } from './response-cache.store.js';

/** What the caller asked of the cache for one call. */
export interface CacheWish {
  /** Cache this answer (and answer from the cache) for this long; absent with `wanted`: the default TTL. */
  ttlSeconds?: number;
  /** The caller asked for caching (`cache` in the body, `Cache-Control: max-age` on /v1). */
  wanted: boolean;
  /** `Cache-Control: no-cache`: do not answer from the cache (a fresh answer still refreshes it). */
  refresh: boolean;
}

const WARNING_INTERVAL_MS = 10_000;

/**
 * Whole answers kept for calls that ask for it (or, with RESPONSE_CACHE_DETERMINISTIC, deterministic
 * ones): in Redis when REDIS_URL is set (replicas share it), else in a bounded in-memory LRU. A
 * cache that fails is skipped (the call is served) with a throttled warning and a count; errors and
 * streams are never cached.
 */
@Injectable()
export class ResponseCache implements OnApplicationShutdown {
  private readonly logger = new Logger('ResponseCache');
  private readonly store: ResponseCacheStore;
  private readonly outage: ThrottledWarning;

  constructor(
    @Inject(responseCacheConfig.token) private readonly config: ResponseCacheConfig,
    @Inject(limitsConfig.token) limits: LimitsConfig,
    @Inject(CLOCK) clock: Clock,
    private readonly metrics: GatewayMetrics,
  ) {
    this.outage = new ThrottledWarning((message) => this.logger.warn(message), WARNING_INTERVAL_MS, clock);
    this.store = limits.redisUrl
      ? new RedisResponseCacheStore(limits.redisUrl, undefined, (error) => this.noteFailure(error))
      : new MemoryResponseCacheStore(config.maxEntries, clock);
  }

  /** How long this call's answer is kept, or undefined when it is not cached. */
  ttlFor(call: PreparedCall, wish: CacheWish | undefined): number | undefined {
    if (wish?.wanted) return Math.min(wish.ttlSeconds ?? this.config.defaultTtlSeconds, this.config.maxTtlSeconds);
    if (!this.config.deterministic) return undefined;
    const params = call.params as { temperature?: unknown; seed?: unknown };
    return params.temperature === 0 || params.seed !== undefined ? this.config.defaultTtlSeconds : undefined;
  }

  async lookup(key: string): Promise<NormalizedResponse | undefined> {
    try {
      const value = await this.store.get(key);
      this.metrics.countCacheLookup(value === undefined ? 'miss' : 'hit');
      return value === undefined ? undefined : (JSON.parse(value) as NormalizedResponse);
    } catch (error) {
      this.metrics.countCacheLookup('error');
      this.noteFailure(error);
      return undefined;
    }
  }

  /** Keeps `answer` off the request path; one too large for RESPONSE_CACHE_MAX_ENTRY_BYTES is not kept. */
  keep(key: string, answer: NormalizedResponse, ttlSeconds: number): void {
    const value = JSON.stringify(answer);
    const bytes = Buffer.byteLength(value);
    if (bytes > this.config.maxEntryBytes) return;
    this.store.set(key, value, ttlSeconds).then(
      () => this.metrics.countCacheStored(bytes),
      (error: unknown) => this.noteFailure(error),
    );
  }

  countSaved(usd: number): void {
    this.metrics.countCacheSaved(usd);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }

  private noteFailure(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.outage.note((count) => `Response cache unavailable (${reason}); calls are served without it (${count} failures)`);
  }
}
