import { describe, expect, it } from '@jest/globals';
import { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import type { CredentialResolver, ResolvedCredential } from '@app/credentials';
import type { NormalizedResponse } from '@app/normalization';
import type { FallbackPlanner, PreparedCall, ProviderAdapter, ProviderExecutor } from '@app/providers';
import type { Admission } from './admission.js';
import type { Attempt } from './attempt.js';
import type { AttemptAccounting } from './attempt-accounting.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import type { CachedAnswers } from './cached-answers.js';
import { ExecuteService } from './execute.service.js';

const caller = new Caller({ kind: 'user', userId: 'user-1', orgId: 'org-1', bearerToken: 'token-1' });
const request = { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } };
const adapter = { name: 'openai', requiresCredential: true } as unknown as ProviderAdapter;
const call = { operation: 'chat.completions', model: 'gpt-4o-mini', params: request.params } as unknown as PreparedCall;
const answer = (): NormalizedResponse =>
  ({
    model: 'gpt-4o-mini',
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    metadata: {},
  }) as unknown as NormalizedResponse;

/** A promise settled from outside, to hold a dependency's answer back. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** The service with fakes: `events` lists what happened, in order. */
function service(options: { limits: Promise<void>; credential: () => Promise<ResolvedCredential>; cachedAnswer?: NormalizedResponse }) {
  const events: string[] = [];
  const recorded: Attempt[] = [];
  const admission = {
    check: () => (events.push('checked'), { adapter, call }),
    limit: () => (events.push('limits asked'), options.limits.then(() => void events.push('limits admitted'))),
  } as unknown as Admission;
  const credentials = {
    resolve: () => (events.push('key looked up'), options.credential()),
  } as unknown as CredentialResolver;
  const executor = {
    execute: (_adapter: ProviderAdapter, _call: PreparedCall, apiKey: string) => (
      events.push(`sent with ${apiKey}`),
      Promise.resolve(answer())
    ),
  } as unknown as ProviderExecutor;
  const fallbacks = { plan: () => [] } as unknown as FallbackPlanner;
  const accounting = { succeeded: () => 0, failed: () => undefined } as unknown as AttemptAccounting;
  const recorder = { record: (attempt: Attempt) => recorded.push(attempt) } as unknown as AttemptRecorder;
  const cachedAnswers = {
    mayAnswer: () => options.cachedAnswer !== undefined,
    find: () => Promise.resolve(options.cachedAnswer ? { hit: options.cachedAnswer } : {}),
  } as unknown as CachedAnswers;
  const subject = new ExecuteService(admission, credentials, executor, fallbacks, accounting, recorder, cachedAnswers);
  return { subject, events, recorded };
}

const key: ResolvedCredential = { apiKey: 'sk-user-1', source: 'identity', isProxy: false };

describe('ExecuteService', () => {
  it('looks the caller’s key up while the limits are asked, and sends only once both are in', async () => {
    const limits = deferred<void>();
    const { subject, events } = service({ limits: limits.promise, credential: () => Promise.resolve(key) });
    const result = subject.execute(caller, request, 'request-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['checked', 'limits asked', 'key looked up']);
    limits.resolve();
    await result;
    expect(events).toEqual(['checked', 'limits asked', 'key looked up', 'limits admitted', 'sent with sk-user-1']);
  });

  it('answers with the limits’ refusal over a failed lookup, sends nothing, and records the refused call once', async () => {
    const { subject, events, recorded } = service({
      limits: Promise.reject(new GatewayError('RATE_LIMITED', 'Too many requests')),
      credential: () => Promise.reject(new GatewayError('CREDENTIAL_NOT_FOUND', 'No openai credential')),
    });
    await expect(subject.execute(caller, request, 'request-2')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(events.some((event) => event.startsWith('sent'))).toBe(false);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].error).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('looks no key up for a call a cached answer may stand in for', async () => {
    const cached = answer();
    const { subject, events } = service({ limits: Promise.resolve(), credential: () => Promise.resolve(key), cachedAnswer: cached });
    expect(await subject.execute(caller, request, 'request-3')).toBe(cached);
    expect(events).toEqual(['checked', 'limits asked', 'limits admitted']);
  });
});
