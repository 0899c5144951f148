import { describe, expect, it } from '@jest/globals';
import { responseCacheKey } from './cache-key.js';

const call = (params: Record<string, unknown>) => ({ provider: 'openai', operation: 'chat.completions', model: 'gpt-4o-mini', params });

describe('responseCacheKey', () => {
  it('is the same for the same params in another key order, and ignores stream', () => {
    const a = responseCacheKey({ userId: 'u', orgId: 'o' }, call({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0 }));
    const b = responseCacheKey(
      { userId: 'u', orgId: 'o' },
      call({ temperature: 0, stream: false, messages: [{ content: 'Hi', role: 'user' }] }),
    );
    expect(a).toBe(b);
  });

  it('differs across organizations, and between a user alone and an organization', () => {
    const params = { messages: [{ role: 'user', content: 'Hi' }] };
    const keys = new Set([
      responseCacheKey({ userId: 'u', orgId: 'o1' }, call(params)),
      responseCacheKey({ userId: 'u', orgId: 'o2' }, call(params)),
      responseCacheKey({ userId: 'o1' }, call(params)),
    ]);
    expect(keys.size).toBe(3);
  });

  it('differs when the model or a param differs', () => {
    const scope = { userId: 'u' };
    expect(responseCacheKey(scope, call({ seed: 1 }))).not.toBe(responseCacheKey(scope, call({ seed: 2 })));
    expect(responseCacheKey(scope, call({}))).not.toBe(responseCacheKey(scope, { ...call({}), model: 'gpt-4o' }));
  });
});
