import { describe, expect, it } from '@jest/globals';
import { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { Attempt } from './attempt.js';
import type { AttemptObserver } from './attempt-observer.js';
import { AttemptRecorder } from './attempt-recorder.js';

const caller = new Caller({ kind: 'user', userId: 'user-1' });

function recorder(observers: AttemptObserver[]) {
  const internalErrors: string[] = [];
  const metrics = { countInternalError: (kind: string) => internalErrors.push(kind) } as unknown as GatewayMetrics;
  return { recorder: new AttemptRecorder(observers, metrics), internalErrors };
}

describe('AttemptRecorder', () => {
  it('tells every observer the outcome: success, the error code, or INTERNAL_ERROR for anything else', () => {
    const seen: string[] = [];
    const { recorder: subject } = recorder([{ observe: (_attempt, outcome) => seen.push(outcome) }]);

    const ok = new Attempt(caller, 'openai', 'chat.completions', 'r1', 'gpt-4o-mini');
    ok.succeeded({
      model: 'gpt-4o-mini-2024-07-18',
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
      costUsd: null,
      streamed: false,
    });
    const refused = new Attempt(caller, 'openai', 'chat.completions', 'r2', null);
    refused.failed(new GatewayError('RATE_LIMITED', 'slow down'));
    const broken = new Attempt(caller, 'openai', 'chat.completions', 'r3', null);
    broken.failed(new TypeError('a bug'));
    for (const attempt of [ok, refused, broken]) subject.record(attempt);

    expect(seen).toEqual(['success', 'RATE_LIMITED', 'INTERNAL_ERROR']);
    expect(ok.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it('keeps going past an observer that throws, and counts it as an internal error', () => {
    const seen: string[] = [];
    const { recorder: subject, internalErrors } = recorder([
      {
        observe: () => {
          throw new Error('broken observer');
        },
      },
      { observe: (attempt) => seen.push(attempt.requestId) },
    ]);

    expect(() => subject.record(new Attempt(caller, 'openai', 'embeddings', 'r4', null))).not.toThrow();
    expect(seen).toEqual(['r4']);
    expect(internalErrors).toEqual(['observer']);
  });
});
