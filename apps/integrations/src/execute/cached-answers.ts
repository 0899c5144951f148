import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import type { NormalizedResponse } from '@app/normalization';
import type { PreparedCall, ProviderAdapter } from '@app/providers';
import { responseCacheKey } from '../cache/cache-key.js';
import { ResponseCache, type CacheWish } from '../cache/response-cache.js';
import type { CallTrace } from '../tracing/tracing.js';
import { Attempt } from './attempt.js';
import { AttemptRecorder } from './attempt-recorder.js';

/** A call's place in the response cache: the answer kept for it, or how to keep the one it gets. */
export type CacheOutcome = { hit: NormalizedResponse } | { keep?: (answer: NormalizedResponse) => void };

/**
 * The execute pipeline's side of the response cache: a call that asked for it (or is deterministic
 * with RESPONSE_CACHE_DETERMINISTIC) is answered from the cache when it can be, and its fresh
 * answer kept otherwise.
 */
@Injectable()
export class CachedAnswers {
  constructor(
    private readonly cache: ResponseCache,
    private readonly recorder: AttemptRecorder,
  ) {}

  /** Whether `find` may answer this call from the cache (then nothing else need be done for it first). */
  mayAnswer(call: PreparedCall, wish: CacheWish | undefined): boolean {
    return !wish?.refresh && this.cache.ttlFor(call, wish) !== undefined;
  }

  async find(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    wish: CacheWish | undefined,
    trace: CallTrace | undefined,
  ): Promise<CacheOutcome> {
    const ttlSeconds = this.cache.ttlFor(call, wish);
    if (ttlSeconds === undefined) return {};
    const params = call.params as Record<string, unknown>;
    const key = responseCacheKey(caller, { provider: adapter.name, operation: call.operation, model: call.model, params });
    const hit = wish?.refresh ? undefined : await this.cache.lookup(key);
    if (hit) return { hit: this.answerWith(hit, caller, adapter, call, requestId, trace) };
    return {
      keep: (answer) => {
        this.cache.keep(key, answer, ttlSeconds);
        answer.metadata.cache = 'miss';
      },
    };
  }

  /**
   * A cached answer, as this call's: its own request id, no cost, `metadata.cache: "hit"`; recorded
   * (execution log `cached`) without a credential, an upstream call or token accounting.
   */
  private answerWith(
    hit: NormalizedResponse,
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    trace: CallTrace | undefined,
  ): NormalizedResponse {
    const attempt = new Attempt(caller, adapter.name, call.operation, requestId, hit.model, call.params, trace);
    attempt.cached = true;
    attempt.succeeded({ model: hit.model, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, costUsd: 0, streamed: false });
    this.recorder.record(attempt);
    const saved = hit.metadata.estimatedCostUsd;
    this.cache.countSaved(typeof saved === 'number' ? saved : 0);
    // Set on the hit itself (parsed afresh from the cache on every lookup), not spread into copies:
    // the executor does the same with an upstream answer's metadata (bench/README.md, "what execute
    // calls promoted").
    const metadata = hit.metadata;
    metadata.requestId = requestId;
    metadata.cache = 'hit';
    metadata.estimatedCostUsd = 0;
    metadata.attempts = 0;
    return hit;
  }
}
