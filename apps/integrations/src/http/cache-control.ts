import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NormalizedResponse } from '@app/normalization';
import type { CacheWish } from '../cache/response-cache.js';

/**
 * What a call asks of the response cache: `cache: {ttlSeconds?}` in an execute body, or
 * `Cache-Control: max-age=N` (any route; /v1 has no body field for it); `Cache-Control: no-cache`
 * skips the cached answer (a fresh one refreshes it). Undefined: the caller said nothing.
 */
export function cacheWish(request: FastifyRequest, bodyCache?: { ttlSeconds?: number }): CacheWish | undefined {
  const header = request.headers['cache-control'];
  if (header === undefined && bodyCache === undefined) return undefined;
  const directives = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  const refresh = /(^|[\s,])no-cache([\s,]|$)/.test(directives);
  const maxAge = /(^|[\s,])max-age=(\d{1,7})([\s,]|$)/.exec(directives);
  const headerTtl = maxAge ? Number(maxAge[2]) : undefined;
  const wanted = bodyCache !== undefined || (headerTtl !== undefined && headerTtl > 0);
  if (!wanted && !refresh) return undefined;
  return { wanted, refresh, ttlSeconds: bodyCache?.ttlSeconds ?? (headerTtl !== undefined && headerTtl > 0 ? headerTtl : undefined) };
}

/** `x-cache: HIT | MISS` on /v1 answers the cache was asked about (its SDKs cannot see metadata). */
export function cacheHeader(reply: FastifyReply, answer: NormalizedResponse): NormalizedResponse {
  const cache = answer.metadata.cache;
  if (cache === 'hit' || cache === 'miss') void reply.header('x-cache', cache === 'hit' ? 'HIT' : 'MISS');
  return answer;
}
