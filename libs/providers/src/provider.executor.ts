import { Injectable } from '@nestjs/common';
import { GatewayError, redactSecrets } from '@app/common';
import type { NormalizedResponse } from '@app/normalization';
import type { PreparedCall, ProviderAdapter } from './provider-adapter.js';
import { CircuitBreaker } from './resilience/circuit-breaker.js';
import { RetryPolicy } from './resilience/retry-policy.js';
import { relayStream, type FinalStreamChunk, type OpenedStream } from './streaming/stream-relay.js';
import type { StreamListener } from './streaming/stream-types.js';
import type { HangUp } from './upstream/hang-up.js';
import { cancelled, serializeRequest, UpstreamClient } from './upstream/upstream.client.js';
import type { SerializedRequest, UpstreamReply, UpstreamRequest } from './upstream/upstream-types.js';

const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeResult {
  provider: string;
  ok: boolean;
  latencyMs: number;
  errorCode?: string;
  /** Redacted. */
  message?: string;
}

/**
 * Runs one prepared call against its upstream: the single place that sends, enforces the adapter's
 * deadline, maps failures and scrubs secrets from anything the upstream said.
 */
@Injectable()
export class ProviderExecutor {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly retry: RetryPolicy,
    private readonly circuit: CircuitBreaker,
  ) {}

  /**
   * The call with retries (retryable failures only, backoff with jitter, Retry-After honoured, total
   * deadline) behind the provider's circuit breaker. `metadata.attempts` says how many it took. The
   * caller hanging up aborts it, retries included.
   */
  async execute(
    adapter: ProviderAdapter,
    call: PreparedCall,
    apiKey: string | undefined,
    requestId: string,
    hangUp?: HangUp,
    maxAttempts?: number,
    traceparent?: string,
  ): Promise<NormalizedResponse> {
    // Built once, before any attempt: what fails here is ours, never the provider's (see serializeRequest).
    const request = serializeRequest(adapter.name, traced(adapter.buildRequest(call, apiKey), traceparent));
    return this.withRetries(adapter, hangUp, maxAttempts, async (attempt) => {
      const response = await this.executeOnce(adapter, call, request, apiKey, requestId, hangUp);
      this.circuit.record(adapter.name);
      response.metadata.attempts = attempt;
      return response;
    });
  }

  /**
   * Opens the upstream event stream. Circuit and retries apply here, since nothing has reached the
   * caller yet; once relaying has started (`relayStream`) nothing is ever retried.
   */
  async openStream(
    adapter: ProviderAdapter,
    call: PreparedCall,
    apiKey: string | undefined,
    hangUp: HangUp,
    maxAttempts?: number,
    traceparent?: string,
  ): Promise<OpenedStream> {
    const spec = adapter.streamRequest?.(call, apiKey);
    if (!spec) {
      throw GatewayError.validation([{ field: 'params.stream', message: `is not supported for ${adapter.name} ${call.operation}` }]);
    }
    const request = serializeRequest(adapter.name, traced(spec.request, traceparent));
    return this.withRetries(adapter, hangUp, maxAttempts, async (attempt) => {
      const opened = await this.upstream.openStream(adapter.name, request, adapter.timeoutMs, hangUp);
      if (!('stream' in opened)) throw this.failure(adapter, opened, apiKey);
      // The circuit hears of this attempt when the stream ends (relayStream).
      return { adapter, call, decoder: spec.decoder, upstream: opened, attempts: attempt };
    });
  }

  /**
   * Runs `once` behind the provider's circuit breaker until it succeeds or the retry policy (or the
   * caller hanging up) says stop. A failed attempt is settled with the breaker here; a successful
   * one is `once`'s to settle (a whole answer at once, a stream when it ends).
   */
  private async withRetries<T>(
    adapter: ProviderAdapter,
    hangUp: HangUp | undefined,
    maxAttempts: number | undefined,
    once: (attempt: number) => Promise<T>,
  ): Promise<T> {
    const startedAt = this.retry.now();
    for (let attempt = 1; ; attempt++) {
      this.circuit.admit(adapter.name, adapter.timeoutMs);
      try {
        return await once(attempt);
      } catch (error) {
        this.settle(adapter.name, error);
        const delay = this.retry.delayBeforeRetry(error, attempt, startedAt, maxAttempts);
        if (delay === undefined || hangUp?.happened) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** The one outcome of an admitted attempt that failed: a cancelled call says nothing about the provider. */
  private settle(provider: string, error: unknown): void {
    if (error instanceof GatewayError && error.code === 'CANCELLED') this.circuit.release(provider);
    else this.circuit.record(provider, error);
  }

  /** Relays an opened stream to `listener` and returns the final chunk; failures are mapped, never retried. */
  async relayStream(opened: OpenedStream, requestId: string, hangUp: HangUp, listener: StreamListener): Promise<FinalStreamChunk> {
    const provider = opened.adapter.name;
    try {
      const final = await relayStream(opened, requestId, listener);
      this.circuit.record(provider);
      return final;
    } catch (error) {
      const failure = hangUp.happened
        ? cancelled(provider, error)
        : error instanceof GatewayError
          ? error
          : (this.upstream.streamFailure(provider, error, opened.upstream, opened.adapter.timeoutMs) ??
            new GatewayError('PROVIDER_UNAVAILABLE', `The ${provider} stream broke off before it finished`, { provider, cause: error }));
      this.settle(provider, failure);
      throw failure;
    } finally {
      opened.upstream.finish();
    }
  }

  private async executeOnce(
    adapter: ProviderAdapter,
    call: PreparedCall,
    request: SerializedRequest,
    apiKey: string | undefined,
    requestId: string,
    hangUp?: HangUp,
  ): Promise<NormalizedResponse> {
    const reply = await this.upstream.send(adapter.name, request, adapter.timeoutMs, hangUp);
    if (reply.status >= 400) throw this.failure(adapter, reply, apiKey);
    const result = this.normalize(adapter, call, reply, apiKey);
    // Set on the adapter's own metadata object (a fresh one per reply), not copied with an object
    // spread: in this V8 such a spread copy outlived young-generation collections on every call
    // (bench/README.md, "what execute calls promoted").
    const metadata = result.metadata;
    metadata.requestId = requestId;
    metadata.upstreamLatencyMs = Math.round(reply.latencyMs * 100) / 100;
    metadata.upstreamRequestId = headerValue(reply.headers['x-request-id'] ?? reply.headers['request-id']);
    return result as NormalizedResponse;
  }

  /** A token-free authenticated request (list models) to see whether the upstream and a key work. */
  async probe(adapter: ProviderAdapter, apiKey: string | undefined): Promise<ProbeResult> {
    const startedAt = performance.now();
    const elapsed = () => Math.round(performance.now() - startedAt);
    try {
      const reply = await this.upstream.send(
        adapter.name,
        serializeRequest(adapter.name, adapter.probeRequest(apiKey)),
        Math.min(adapter.timeoutMs, PROBE_TIMEOUT_MS),
      );
      if (reply.status < 400) return { provider: adapter.name, ok: true, latencyMs: elapsed() };
      const failure = this.failure(adapter, reply, apiKey);
      return { provider: adapter.name, ok: false, latencyMs: elapsed(), errorCode: failure.code, message: failure.message };
    } catch (error) {
      const failure = error instanceof GatewayError ? error : new GatewayError('PROVIDER_UNAVAILABLE', `Could not reach ${adapter.name}`);
      return { provider: adapter.name, ok: false, latencyMs: elapsed(), errorCode: failure.code, message: failure.message };
    }
  }

  /**
   * The model ids the upstream lists for this key (its list-models answer, `{data: [{id}]}`), or
   * undefined when it did not answer with one. For catalogs, never for a call's outcome.
   */
  async listModelIds(adapter: ProviderAdapter, apiKey: string | undefined): Promise<string[] | undefined> {
    try {
      const reply = await this.upstream.send(
        adapter.name,
        serializeRequest(adapter.name, adapter.probeRequest(apiKey)),
        Math.min(adapter.timeoutMs, PROBE_TIMEOUT_MS),
      );
      const data = reply.status === 200 ? (reply.body as { data?: unknown } | null)?.data : undefined;
      if (!Array.isArray(data)) return undefined;
      return data
        .slice(0, MAX_LISTED_MODELS)
        .flatMap((entry) => (typeof (entry as { id?: unknown })?.id === 'string' ? [(entry as { id: string }).id] : []))
        .filter((id) => id.length > 0 && id.length <= 256);
    } catch {
      return undefined;
    }
  }

  private normalize(adapter: ProviderAdapter, call: PreparedCall, reply: UpstreamReply, apiKey: string | undefined) {
    try {
      return adapter.normalize(call, reply);
    } catch (error) {
      const message = error instanceof GatewayError ? error.message : `${adapter.name} returned a reply the gateway could not read`;
      throw new GatewayError('PROVIDER_INVALID_RESPONSE', redactSecrets(message, apiKey ? [apiKey] : []), {
        provider: adapter.name,
        upstreamStatus: reply.status,
        cause: error,
      });
    }
  }

  private failure(adapter: ProviderAdapter, reply: UpstreamReply, apiKey: string | undefined): GatewayError {
    const failure = adapter.mapError(reply);
    return new GatewayError(failure.code, redactSecrets(failure.message, apiKey ? [apiKey] : []), {
      provider: adapter.name,
      retryAfterMs: failure.retryAfterMs,
      upstreamStatus: reply.status,
      upstreamCode: failure.upstreamCode,
      metadata: failure.metadata,
    });
  }
}

/**
 * The call's W3C traceparent added to the request the adapter built for this call (its own header
 * object), so the provider's spans join the caller's trace.
 */
function traced(request: UpstreamRequest, traceparent: string | undefined): UpstreamRequest {
  if (traceparent !== undefined) request.headers.traceparent = traceparent;
  return request;
}

/** A list-models answer is read up to this many entries. */
const MAX_LISTED_MODELS = 2_000;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
