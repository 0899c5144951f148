import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { cacheWish } from './cache-control.js';

const withHeader = (value?: string) => ({ headers: value === undefined ? {} : { 'cache-control': value } }) as unknown as FastifyRequest;

describe('cacheWish', () => {
  it('says nothing without a body field or a header', () => {
    expect(cacheWish(withHeader())).toBeUndefined();
  });

  it('takes the body’s cache field, with or without a TTL', () => {
    expect(cacheWish(withHeader(), {})).toEqual({ wanted: true, refresh: false, ttlSeconds: undefined });
    expect(cacheWish(withHeader(), { ttlSeconds: 60 })).toEqual({ wanted: true, refresh: false, ttlSeconds: 60 });
  });

  it('reads Cache-Control: max-age as a wish and no-cache as a refresh', () => {
    expect(cacheWish(withHeader('max-age=120'))).toEqual({ wanted: true, refresh: false, ttlSeconds: 120 });
    expect(cacheWish(withHeader('no-cache'))).toEqual({ wanted: false, refresh: true, ttlSeconds: undefined });
    expect(cacheWish(withHeader('No-Cache, max-age=30'))).toEqual({ wanted: true, refresh: true, ttlSeconds: 30 });
    expect(cacheWish(withHeader('max-age=0'))).toBeUndefined();
  });
});
