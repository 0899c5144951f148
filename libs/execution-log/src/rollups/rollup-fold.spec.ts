import { describe, expect, it } from '@jest/globals';
import type { ExecutionRecord } from '../execution-record.js';
import { foldIntoRollups } from './rollup-fold.js';

function record(overrides: Partial<ExecutionRecord>): ExecutionRecord {
  return {
    requestId: 'request',
    userId: 'user-1',
    orgId: 'org-1',
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    durationMs: 120,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    success: true,
    errorCode: null,
    errorMessage: null,
    credentialSource: 'environment',
    credentialId: null,
    isProxy: false,
    createdAt: new Date('2026-11-30T10:15:00Z'),
    ...overrides,
  };
}

// [bucket, org, user, provider, model, operation, outcome, calls, errors, prompt, completion, total,
//  duration sum, overhead sum, overhead calls, ≤100, ≤250, ≤500, ≤1000, ≤2500, ≤5000, ≤10000, ≤30000, max]
describe('foldIntoRollups', () => {
  it('adds calls of one hour and key into one row, with sums, histogram and maximum', () => {
    const folded = foldIntoRollups([
      record({ durationMs: 120, upstreamMs: 100 }),
      record({ durationMs: 40, upstreamMs: 45, createdAt: new Date('2026-11-30T10:59:59.999Z') }),
      record({ durationMs: 40_000, promptTokens: null, completionTokens: null, totalTokens: null }),
    ]);
    const sums = [3, 0, 20, 10, 30, 40_160, 20, 2, 1, 1, 0, 0, 0, 0, 0, 0, 40_000];
    expect(folded).toEqual([['2026-11-30T10:00:00.000Z', 'org-1', 'user-1', 'openai', 'gpt-4o-mini', 'chat.completions', 'ok', ...sums]]);
  });

  it('keys by outcome (ok, cached, the error code or "error"), with no org or model as empty text', () => {
    const folded = foldIntoRollups([
      record({ cached: true }),
      record({ success: false, errorCode: 'RATE_LIMITED' }),
      record({ success: false, errorCode: null, orgId: null, model: null }),
    ]);
    expect(folded.map((row) => [row[1], row[4], row[6], row[8]])).toEqual([
      ['org-1', 'gpt-4o-mini', 'cached', 0],
      ['org-1', 'gpt-4o-mini', 'RATE_LIMITED', 1],
      ['', '', 'error', 1],
    ]);
  });

  it('splits hours, across UTC midnight too', () => {
    const folded = foldIntoRollups([
      record({ createdAt: new Date('2026-11-30T10:15:00Z') }),
      record({ createdAt: new Date('2026-11-30T23:15:00Z') }),
      record({ createdAt: new Date('2026-12-01T00:00:00Z') }),
    ]);
    expect(folded.map((row) => [row[0], row[7]])).toEqual([
      ['2026-11-30T10:00:00.000Z', 1],
      ['2026-11-30T23:00:00.000Z', 1],
      ['2026-12-01T00:00:00.000Z', 1],
    ]);
  });

  it('folds a user with many keys in an hour (rows found by key past a few) as it folds one with few', () => {
    const models = Array.from({ length: 40 }, (_, index) => `model-${index}`);
    const records = [...models, ...models.toReversed()].map((model) => record({ model }));
    const folded = foldIntoRollups(records);
    expect(folded.map((row) => [row[4], row[7]])).toEqual(models.map((model) => [model, 2]));
  });
});
