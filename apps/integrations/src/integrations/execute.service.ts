import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError, redactSecrets } from '@app/common';
import { CredentialResolver, type CredentialRequest, type ResolvedCredential } from '@app/credentials';
import { ExecutionLogWriter } from '@app/execution-log';
import { BudgetGuard, PricingTable, RateLimiter } from '@app/limits';
import type { NormalizedResponse } from '@app/normalization';
import { IntegrationSwitch } from '@app/ops-agent';
import {
  FallbackPlanner,
  ProviderExecutor,
  ProviderHealthTracker,
  ProviderRegistry,
  type FallbackStep,
  type FinalStreamChunk,
  type OpenedStream,
  type PreparedCall,
  type HangUp,
  type ProviderAdapter,
  type StreamListener,
} from '@app/providers';
import { CallLogger } from '../logging/call-logger.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ExecuteRequest } from './execute-request.js';

/** Where a relayed stream goes: text deltas and tool-call pieces, then the final chunk, or an error after the start. */
export interface StreamSink extends StreamListener {
  end(final: FinalStreamChunk): void;
  error(error: GatewayError): void;
}

export interface StreamSession {
  pump(sink: StreamSink): Promise<void>;
}

/** What one provider attempt is logged with. */
interface Attempt {
  caller: Caller;
  provider: string;
  operation: string;
  requestId: string;
  startedAt: Date;
  startedAtMs: number;
  model: string | null;
  credential?: ResolvedCredential;
  response?: NormalizedResponse;
  error?: unknown;
  /** Only for the debug log (LOG_MESSAGE_CONTENT). */
  params?: unknown;
}

/**
 * One execute call end to end: pick the adapter, validate, admit it past the rate limits, fetch the
 * caller's key (after the rate limits and spend caps), call the upstream (retries and circuit breaking live in the executor), fall back to
 * other providers when a configured rule says so, and log every provider attempt.
 */
@Injectable()
export class ExecuteService {
  private readonly logger = new Logger('ExecuteService');

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialResolver,
    private readonly executor: ProviderExecutor,
    private readonly executionLog: ExecutionLogWriter,
    private readonly providerHealth: ProviderHealthTracker,
    private readonly integration: IntegrationSwitch,
    private readonly rateLimiter: RateLimiter,
    private readonly fallbacks: FallbackPlanner,
    private readonly budget: BudgetGuard,
    private readonly pricing: PricingTable,
    private readonly metrics: GatewayMetrics,
    private readonly callLogger: CallLogger,
  ) {}

  /** A whole (non-streamed) call; the caller hanging up aborts the upstream call. */
  async execute(caller: Caller, request: ExecuteRequest, requestId: string, hangUp?: HangUp): Promise<NormalizedResponse> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    const { adapter, call } = await this.admit(caller, request, requestId, startedAt, startedAtMs);
    try {
      return await this.attempt(caller, adapter, call, requestId, startedAt, startedAtMs, hangUp);
    } catch (error) {
      const fallback = await this.fallBack(adapter.name, error, request, (step) =>
        this.attempt(caller, step.adapter, step.call, requestId, new Date(), performance.now(), hangUp),
      );
      if (!fallback) throw error;
      fallback.result.metadata.fallbackFrom = adapter.name;
      fallback.result.metadata.fallbackReason = fallback.reason;
      return fallback.result;
    }
  }

  /**
   * A streaming call (`params.stream: true`). Resolves once the upstream stream is open, so every
   * failure up to then is an ordinary JSON error; `pump` then relays SSE frames as they arrive and
   * logs the call, with its usage, when the stream ends, fails or the caller goes away.
   */
  async stream(caller: Caller, request: ExecuteRequest, requestId: string, hangUp: HangUp): Promise<StreamSession> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    const admitted = await this.admit(caller, request, requestId, startedAt, startedAtMs);
    let attempt: Attempt;
    let opened: OpenedStream;
    try {
      ({ attempt, opened } = await this.openStream(caller, admitted.adapter, admitted.call, requestId, startedAt, startedAtMs, hangUp));
    } catch (error) {
      // Nothing has reached the caller yet, so a fallback rule may still move the call.
      const fallback = await this.fallBack(admitted.adapter.name, error, request, (step) =>
        this.openStream(caller, step.adapter, step.call, requestId, new Date(), performance.now(), hangUp),
      );
      if (!fallback) throw error;
      ({ attempt, opened } = fallback.result);
      opened.fallbackFrom = { provider: admitted.adapter.name, reason: fallback.reason };
    }
    const { adapter } = opened;
    return {
      pump: async (sink) => {
        try {
          const final = await this.executor.relayStream(opened, requestId, hangUp, sink);
          final.metadata.estimatedCostUsd = this.account(caller, adapter, final);
          attempt.response = final as unknown as NormalizedResponse;
          attempt.model = final.model;
          sink.end(final);
        } catch (error) {
          this.fail(attempt, error);
          if (!hangUp.happened) sink.error(error instanceof GatewayError ? error : new GatewayError('INTERNAL_ERROR', 'The stream failed'));
        } finally {
          this.recordSafely(attempt);
        }
      },
    };
  }

  /**
   * `record` at the end of a stream, where nobody awaits the outcome: a failure to record (a bug)
   * is counted and logged, never left to reject.
   */
  private recordSafely(attempt: Attempt): void {
    try {
      this.record(attempt);
    } catch (error) {
      this.metrics.countInternalError('stream');
      this.logger.error(
        `Recording stream ${attempt.requestId} failed: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
      );
    }
  }

  /** Credential and an open upstream stream for one provider; a failure is logged here. */
  private async openStream(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    startedAt: Date,
    startedAtMs: number,
    hangUp: HangUp,
  ) {
    const attempt: Attempt = {
      caller,
      provider: adapter.name,
      operation: call.operation,
      requestId,
      startedAt,
      startedAtMs,
      model: call.model,
      params: call.params,
    };
    try {
      attempt.credential = adapter.requiresCredential ? await this.credentials.resolve(this.credentialRequest(caller, adapter)) : undefined;
      return { attempt, opened: await this.executor.openStream(adapter, call, attempt.credential?.apiKey, hangUp) };
    } catch (error) {
      this.fail(attempt, error);
      this.record(attempt);
      throw error;
    }
  }

  /**
   * Tries the targets a fallback rule names for `failedProvider`'s `error`, in order, and returns
   * the first success with the reason; undefined when no rule applies or every target failed (the
   * caller then gets the original failure). Each attempt logs itself.
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

  /** Checks common to every call; a refused call is logged here. */
  private async admit(
    caller: Caller,
    request: ExecuteRequest,
    requestId: string,
    startedAt: Date,
    startedAtMs: number,
  ): Promise<{ adapter: ProviderAdapter; call: PreparedCall }> {
    try {
      // Fail closed: an operator who disabled the agent in Opstage has stopped all upstream calls.
      this.integration.assertEnabled();
      const adapter = this.registry.get(request.provider);
      const call = adapter.validate(request.operation, request.params);
      const subject = { userId: caller.userId, orgId: caller.orgId };
      await this.rateLimiter.admit(subject);
      await this.budget.admit(subject);
      return { adapter, call };
    } catch (error) {
      this.record({
        caller,
        provider: request.provider,
        operation: request.operation,
        requestId,
        startedAt,
        startedAtMs,
        model: null,
        error,
        params: request.params,
      });
      throw error;
    }
  }

  /** Health, tokens and spend for a finished call; returns its estimated cost. */
  private account(
    caller: Caller,
    adapter: ProviderAdapter,
    response: { model: string; usage: NormalizedResponse['usage'] },
  ): number | null {
    const subject = { userId: caller.userId, orgId: caller.orgId };
    const costUsd = this.pricing.costOf(response.model, response.usage);
    void this.rateLimiter.recordTokens(subject, response.usage.totalTokens);
    void this.budget.recordSpend(subject, costUsd);
    this.providerHealth.recordSuccess(adapter.name, new Date());
    return costUsd;
  }

  /** Notes a failed attempt on the provider's health (and drops a rejected cached key). */
  private fail(attempt: Attempt, error: unknown): void {
    attempt.error = error;
    if (error instanceof GatewayError && error.provider && error.code.startsWith('PROVIDER_')) {
      // Only failures from talking to the upstream say anything about its health.
      this.providerHealth.recordFailure(error.provider, error.code, new Date());
      // A rejected key may have been rotated at its source: fetch it afresh next time.
      if (error.code === 'PROVIDER_AUTH_FAILED') {
        this.credentials.invalidate({
          userId: attempt.caller.userId,
          orgId: attempt.caller.orgId,
          provider: error.provider,
          bearerToken: attempt.caller.bearerToken,
        });
      }
    }
  }

  private credentialRequest(caller: Caller, adapter: ProviderAdapter): CredentialRequest {
    return { userId: caller.userId, orgId: caller.orgId, provider: adapter.name, bearerToken: caller.bearerToken };
  }

  /** One provider: credential, upstream call, health and token accounting, one log row. */
  private async attempt(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    startedAt: Date,
    startedAtMs: number,
    hangUp?: HangUp,
  ): Promise<NormalizedResponse> {
    const attempt: Attempt = {
      caller,
      provider: adapter.name,
      operation: call.operation,
      requestId,
      startedAt,
      startedAtMs,
      model: call.model,
      params: call.params,
    };
    try {
      // Keyless endpoints (e.g. a local Ollama) need no credential lookup at all.
      attempt.credential = adapter.requiresCredential ? await this.credentials.resolve(this.credentialRequest(caller, adapter)) : undefined;
      const response = await this.executor.execute(adapter, call, attempt.credential?.apiKey, requestId, hangUp);
      attempt.response = response;
      attempt.model = response.model;
      response.metadata.estimatedCostUsd = this.account(caller, adapter, response);
      return response;
    } catch (error) {
      this.fail(attempt, error);
      throw error;
    } finally {
      this.record(attempt);
    }
  }

  private record({
    caller,
    provider,
    operation,
    requestId,
    startedAt,
    startedAtMs,
    model,
    credential,
    response,
    error,
    params,
  }: Attempt): void {
    const failure = error instanceof GatewayError ? error : undefined;
    const durationMs = performance.now() - startedAtMs;
    const outcome = response ? 'success' : (failure?.code ?? 'INTERNAL_ERROR');
    const upstreamLatencyMs = typeof response?.metadata.upstreamLatencyMs === 'number' ? response.metadata.upstreamLatencyMs : undefined;
    this.callLogger.log(
      {
        requestId,
        userId: caller.userId,
        orgId: caller.orgId,
        provider,
        operation,
        model,
        outcome,
        durationMs: Math.round(durationMs * 100) / 100,
        upstreamLatencyMs,
        totalTokens: response?.usage.totalTokens,
        credentialSource: credential?.source,
      },
      params,
    );
    this.metrics.observe({
      provider,
      operation,
      outcome,
      durationMs,
      // A stream's upstream latency is its time to first byte: no basis for an overhead figure.
      upstreamLatencyMs:
        typeof response?.metadata.upstreamLatencyMs === 'number' && response.metadata.chunks === undefined
          ? response.metadata.upstreamLatencyMs
          : undefined,
      promptTokens: response?.usage.promptTokens,
      completionTokens: response?.usage.completionTokens,
      costUsd: typeof response?.metadata.estimatedCostUsd === 'number' ? response.metadata.estimatedCostUsd : null,
    });
    this.executionLog.record({
      requestId,
      userId: caller.userId,
      orgId: caller.orgId ?? null,
      provider,
      operation,
      model,
      durationMs: Math.round(durationMs),
      promptTokens: response?.usage.promptTokens ?? null,
      completionTokens: response?.usage.completionTokens ?? null,
      totalTokens: response?.usage.totalTokens ?? null,
      success: response !== undefined,
      errorCode: response ? null : (failure?.code ?? 'INTERNAL_ERROR'),
      // GatewayError messages are already redacted; never store an unexpected error's raw text.
      errorMessage: response ? null : failure ? redactSecrets(failure.message, credential ? [credential.apiKey] : []) : 'Internal error',
      credentialSource: credential?.source ?? null,
      credentialId: credential?.credentialId ?? null,
      isProxy: credential?.isProxy ?? false,
      createdAt: startedAt,
    });
  }
}
