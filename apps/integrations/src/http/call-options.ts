import type { FastifyRequest } from 'fastify';
import type { CallOptions } from '../execute/execute.service.js';
import { attemptsWanted } from './attempts-wanted.js';
import { cacheWish } from './cache-control.js';

/** How the caller wants this call made, from its headers (and an execute body's `cache`). */
export function callOptions(request: FastifyRequest, bodyCache?: { ttlSeconds?: number }): CallOptions {
  const traceparent = request.headers.traceparent;
  return {
    ...attemptsWanted(request),
    cache: cacheWish(request, bodyCache),
    ...(typeof traceparent === 'string' && traceparent.length <= 128 && { traceparent }),
  };
}
