import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import { CredentialResolver, type ResolvedCredential } from '@app/credentials';
import type { NormalizedResponse } from '@app/normalization';
import {
  FallbackPlanner,
  ProviderExecutor,
  type FallbackStep,
  type FinalStreamChunk,
  type HangUp,
  type OpenedStream,
  type PreparedCall,
  type ProviderAdapter,
  type StreamListener,
} from '@app/providers';
import { Admission } from './admission.js';
import { Attempt } from './attempt.js';
import { AttemptAccounting } from './attempt-accounting.js';
import { AttemptRecorder } from './attempt-recorder.js';
import type { ExecuteRequest } from './execute-request.js';
import type { CacheWish } from '../cache/response-cache.js';
import { CachedAnswers } from './cached-answers.js';
import type { CallTrace } from '../tracing/tracing.js';

/** Where a relayed stream goes: text deltas and tool-call pieces, then the final chunk, or an error after the start. */
export interface StreamSink extends StreamListener {
  end(final: FinalStreamChunk): void;
  error(error: GatewayError): void;
}

/** How the caller wants its call made. */
export interface CallOptions {
  /** At most this many attempts per provider (see `attemptsWanted`); RETRY_MAX_ATTEMPTS otherwise. */
  maxAttempts?: number;
  /** What the caller asked of the response cache (whole answers only). */
  cache?: CacheWish;
  /** The caller's W3C traceparent, continued by the call's span. */
  traceparent?: string;
  /** The call's span (started by the caller of this service), which the attempts' spans go under. */
  trace?: CallTrace;
}

export interface StreamSession {
  pump(sink: StreamSink): Promise<void>;
}

/**
 * One execute call end to end: admit it (switch, validation, limits), then one provider attempt
 * after another: the first, and those a fallback rule names when it fails provider-side. Whole and
 * streamed answers go through the same attempt (credential, upstream call, accounting, recording);
 * retries and circuit breaking live in the executor.
 */
@Injectable()
export class ExecuteService {
  constructor(
    private readonly admission: Admission,
    private readonly credentials: CredentialResolver,
    private readonly executor: ProviderExecutor,
    private readonly fallbacks: FallbackPlanner,
    private readonly accounting: AttemptAccounting,
    private readonly recorder: AttemptRecorder,
    private readonly cachedAnswers: CachedAnswers,
  ) {}

  /** A whole (non-streamed) call; the caller hanging up aborts the upstream call. */
  async execute(
    caller: Caller,
    request: ExecuteRequest,
    requestId: string,
    hangUp?: HangUp,
    options: CallOptions = {},
  ): Promise<NormalizedResponse> {
    const { adapter, call, credential } = await this.admitted(caller, request, requestId, options);
    const cached = await this.cachedAnswers.find(caller, adapter, call, requestId, options.cache, options.trace);
    if ('hit' in cached) return cached.hit;
    const attempt = (step: { adapter: ProviderAdapter; call: PreparedCall }, credential?: Promise<ResolvedCredential>) =>
      this.whole(caller, step.adapter, step.call, requestId, hangUp, options, credential);
    try {
      const result = await attempt({ adapter, call }, credential);
      cached.keep?.(result);
      return result;
    } catch (error) {
      const fallback = await this.fallBack(adapter.name, error, request, attempt);
      if (!fallback) throw error;
      fallback.result.metadata.fallbackFrom = adapter.name;
      fallback.result.metadata.fallbackReason = fallback.reason;
      return fallback.result;
    }
  }

  /**
   * A streaming call (`params.stream: true`). Resolves once the upstream stream is open, so every
   * failure up to then is an ordinary JSON error (and may still fall back); `pump` then relays SSE
   * frames as they arrive and records the attempt, with its usage, when the stream ends, fails or
   * the caller goes away.
   */
  async stream(
    caller: Caller,
    request: ExecuteRequest,
    requestId: string,
    hangUp: HangUp,
    options: CallOptions = {},
  ): Promise<StreamSession> {
    const admitted = await this.admitted(caller, request, requestId, options);
    const open = (step: { adapter: ProviderAdapter; call: PreparedCall }, credential?: Promise<ResolvedCredential>) =>
      this.runAttempt(
        caller,
        step.adapter,
        step.call,
        requestId,
        options.trace,
        (apiKey) => this.executor.openStream(step.adapter, step.call, apiKey, hangUp, options.maxAttempts, options.trace?.traceparent),
        credential,
      );
    let opened: { value: OpenedStream; attempt: Attempt };
    try {
      opened = await open(admitted, admitted.credential);
    } catch (error) {
      const fallback = await this.fallBack(admitted.adapter.name, error, request, open);
      if (!fallback) throw error;
      opened = fallback.result;
      opened.value.fallbackFrom = { provider: admitted.adapter.name, reason: fallback.reason };
    }
    const { value: stream, attempt } = opened;
    return {
      pump: async (sink) => {
        try {
          const final = await this.executor.relayStream(stream, requestId, hangUp, sink);
          final.metadata.estimatedCostUsd = this.succeeded(caller, attempt, final, true);
          sink.end(final);
        } catch (error) {
          this.accounting.failed(caller, error);
          attempt.failed(error);
          if (!hangUp.happened) sink.error(error instanceof GatewayError ? error : new GatewayError('INTERNAL_ERROR', 'The stream failed'));
        } finally {
          this.recorder.record(attempt);
        }
      },
    };
  }

  /**
   * Admission; a refused call is recorded as an attempt that never reached a provider. The caller's
   * key for the first attempt is looked up while the limits are asked (both are needed before
   * anything is sent, and either may wait on a round trip: Redis when the caller's lease has lapsed,
   * Identity when its cached answer has), unless a cached answer may stand in for the call. A
   * refusal by the limits wins over a failed lookup, as when the lookup came after.
   */
  private async admitted(caller: Caller, request: ExecuteRequest, requestId: string, options: CallOptions) {
    try {
      const { adapter, call } = this.admission.check(request);
      const limited = this.admission.limit(caller);
      let credential: Promise<ResolvedCredential> | undefined;
      if (adapter.requiresCredential && !this.cachedAnswers.mayAnswer(call, options.cache)) {
        credential = this.credentialFor(caller, adapter);
        credential.catch(() => undefined); // awaited by the attempt; unheard of when the limits refuse
      }
      await limited;
      return { adapter, call, credential };
    } catch (error) {
      const refused = new Attempt(caller, request.provider, request.operation, requestId, null, request.params, options.trace);
      refused.failed(error);
      this.recorder.record(refused);
      throw error;
    }
  }

  private credentialFor(caller: Caller, adapter: ProviderAdapter): Promise<ResolvedCredential> {
    return this.credentials.resolve({
      userId: caller.userId,
      orgId: caller.orgId,
      provider: adapter.name,
      bearerToken: caller.bearerToken,
    });
  }

  /** One whole-answer attempt: recorded when it ends, either way. */
  private async whole(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    hangUp: HangUp | undefined,
    options: CallOptions,
    credential?: Promise<ResolvedCredential>,
  ): Promise<NormalizedResponse> {
    const { value: response, attempt } = await this.runAttempt(
      caller,
      adapter,
      call,
      requestId,
      options.trace,
      (apiKey) => this.executor.execute(adapter, call, apiKey, requestId, hangUp, options.maxAttempts, options.trace?.traceparent),
      credential,
    );
    response.metadata.estimatedCostUsd = this.succeeded(caller, attempt, response, false);
    this.recorder.record(attempt);
    return response;
  }

  /**
   * The part every attempt shares: the caller's key (keyless endpoints such as a local Ollama need
   * none; `credential` when its lookup already started), then `run` with it. A failure here is
   * accounted and recorded at once; a success is the caller's to finish (a whole answer at once, a
   * stream when it ends).
   */
  private async runAttempt<T>(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    trace: CallTrace | undefined,
    run: (apiKey: string | undefined) => Promise<T>,
    credential?: Promise<ResolvedCredential>,
  ): Promise<{ value: T; attempt: Attempt }> {
    const attempt = new Attempt(caller, adapter.name, call.operation, requestId, call.model, call.params, trace);
    try {
      if (adapter.requiresCredential) attempt.credential = await (credential ?? this.credentialFor(caller, adapter));
      return { value: await run(attempt.credential?.apiKey), attempt };
    } catch (error) {
      this.accounting.failed(caller, error);
      attempt.failed(error);
      this.recorder.record(attempt);
      throw error;
    }
  }

  /** Accounts a finished answer on the attempt; returns its estimated cost. */
  private succeeded(
    caller: Caller,
    attempt: Attempt,
    answer: Pick<FinalStreamChunk, 'model' | 'usage' | 'metadata' | 'finishReason'>,
    streamed: boolean,
  ): number | null {
    const costUsd = this.accounting.succeeded(caller, attempt.provider, answer.model, answer.usage);
    const upstreamLatencyMs = answer.metadata.upstreamLatencyMs;
    const upstreamAttempts = answer.metadata.attempts;
    attempt.succeeded({
      model: answer.model,
      usage: answer.usage,
      costUsd,
      streamed,
      finishReason: answer.finishReason,
      upstreamAttempts: typeof upstreamAttempts === 'number' ? upstreamAttempts : undefined,
      upstreamLatencyMs: typeof upstreamLatencyMs === 'number' ? upstreamLatencyMs : undefined,
    });
    return costUsd;
  }

  /**
   * Tries the targets a fallback rule names for `failedProvider`'s `error`, in order, and returns
   * the first success with the reason; undefined when no rule applies or every target failed (the
   * caller then gets the original failure). Each attempt records itself.
   */
  private async fallBack<T>(
    failedProvider: string,
    error: unknown,
    request: ExecuteRequest,
    run: (step: FallbackStep) => Promise<T>,
  ): Promise<{ result: T; reason: string } | undefined> {
    for (const step of this.fallbacks.plan(failedProvider, error, request.operation, request.params)) {
      try {
        return { result: await run(step), reason: (error as GatewayError).code };
      } catch {
        // The next target, if any.
      }
    }
    return undefined;
  }
}
