import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { dispatchWhole, GatewayError, RequestDeadline, urlParts } from '@app/common';
import { upstreamConfig, type UpstreamConfig } from './upstream.config.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { HangUp } from './hang-up.js';
import type { SerializedRequest, UpstreamReply, UpstreamRequest } from './upstream-types.js';
import { dispatchStream } from './streamed-reply.js';

/**
 * The hot-path HTTP client for provider calls: undici with pooled keep-alive connections per origin.
 * Deliberately not fetch or axios (web streams and interceptors cost measurable CPU per call).
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly dispatcher: Agent;
  private readonly maxResponseBytes: number;
  private readonly streamTimeoutMs: number;

  constructor(@Inject(upstreamConfig.token) config: UpstreamConfig) {
    this.maxResponseBytes = config.maxResponseBytes;
    this.streamTimeoutMs = config.streamTimeoutMs;
    this.dispatcher = new Agent({
      connections: 256,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // Our own deadline (below) governs; undici's 300 s defaults would only mask it.
      headersTimeout: 0,
      bodyTimeout: 0,
      // A broken or hostile upstream must not make the gateway buffer without end.
      maxResponseSize: this.maxResponseBytes,
    });
  }

  /**
   * POSTs JSON (GETs when there is no body) and reads the whole reply; `timeoutMs` covers headers and
   * body. The caller hanging up (`hangUp`) aborts the call: nobody is left to pay for the answer.
   */
  async send(provider: string, upstreamRequest: SerializedRequest, timeoutMs: number, hangUp?: HangUp): Promise<UpstreamReply> {
    if (hangUp?.happened) throw cancelled(provider);
    const deadline = new RequestDeadline(timeoutMs);
    hangUp?.watch(deadline);
    const startedAt = performance.now();
    try {
      const hasBody = upstreamRequest.payload !== undefined;
      const { origin, path } = urlParts(upstreamRequest.url);
      const reply = await dispatchWhole(
        this.dispatcher,
        {
          origin,
          path,
          method: hasBody ? 'POST' : 'GET',
          headers: withGatewayHeaders(upstreamRequest, 'application/json'),
          body: upstreamRequest.payload,
        },
        deadline,
      );
      return readReply(reply.status, reply.headers, reply.text, startedAt);
    } catch (error) {
      if (hangUp?.happened) throw cancelled(provider, error);
      throw this.transportFailure(provider, error, deadline.timedOut, timeoutMs);
    } finally {
      hangUp?.unwatch();
      deadline.clear();
    }
  }

  /**
   * Opens a streaming POST: resolves once the upstream answered with headers (`timeoutMs` covers
   * that much); afterwards `timeoutMs` is the longest silence allowed between chunks and
   * STREAM_TIMEOUT_MS bounds the whole stream. A non-2xx answer is read whole and returned like
   * `send` does. The caller must `finish()` the stream once its body has been read.
   */
  async openStream(
    provider: string,
    upstreamRequest: SerializedRequest,
    timeoutMs: number,
    hangUp: HangUp,
  ): Promise<UpstreamStream | UpstreamReply> {
    if (hangUp.happened) throw cancelled(provider);
    const deadline = new RequestDeadline(timeoutMs);
    // The caller hanging up aborts the call for as long as it lasts, the stream's body included.
    hangUp.watch(deadline);
    let streaming = false;
    const startedAt = performance.now();
    try {
      const { origin, path } = urlParts(upstreamRequest.url);
      const reply = await dispatchStream(
        this.dispatcher,
        {
          origin,
          path,
          method: 'POST',
          headers: withGatewayHeaders(upstreamRequest, 'text/event-stream'),
          body: upstreamRequest.payload,
          bodyTimeout: timeoutMs,
        },
        deadline,
      );
      if (reply.status >= 400) return readReply(reply.status, reply.headers, await reply.text(), startedAt);
      streaming = true;
      const latencyMs = performance.now() - startedAt;
      deadline.restart(Math.max(1, this.streamTimeoutMs - latencyMs));
      return {
        status: reply.status,
        headers: reply.headers,
        stream: reply,
        latencyMs,
        deadline,
        finish: () => deadline.clear(),
      };
    } catch (error) {
      if (hangUp.happened) throw cancelled(provider, error);
      throw this.transportFailure(provider, error, deadline.timedOut, timeoutMs);
    } finally {
      if (!streaming) {
        hangUp.unwatch();
        deadline.clear();
      }
    }
  }

  /** What an open stream's body failing part-way means; undefined when it is not ours to name. */
  streamFailure(provider: string, error: unknown, stream: UpstreamStream, idleTimeoutMs: number): GatewayError | undefined {
    if (stream.deadline.timedOut) {
      return new GatewayError(
        'PROVIDER_TIMEOUT',
        `The ${provider} stream did not finish within ${this.streamTimeoutMs} ms (STREAM_TIMEOUT_MS)`,
        { provider, cause: error },
      );
    }
    const code = errorCode(error);
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      return new GatewayError('PROVIDER_TIMEOUT', `The ${provider} stream went silent for more than ${idleTimeoutMs} ms`, {
        provider,
        cause: error,
      });
    }
    return code === RESPONSE_TOO_LARGE ? this.tooLarge(provider, error) : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Network-level failures, described without addresses or stack details. */
  private transportFailure(provider: string, error: unknown, timedOut: boolean, timeoutMs: number): GatewayError {
    if (timedOut) {
      return new GatewayError('PROVIDER_TIMEOUT', `${provider} did not answer within ${timeoutMs} ms`, { provider, cause: error });
    }
    const code = errorCode(error);
    if (code === RESPONSE_TOO_LARGE) return this.tooLarge(provider, error);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new GatewayError('PROVIDER_TIMEOUT', `Connecting to ${provider} timed out`, { provider, cause: error });
    }
    const reason = (code && CONNECT_FAILURES[code]) ?? 'network error';
    return new GatewayError('PROVIDER_UNAVAILABLE', `Could not reach ${provider} (${reason})`, { provider, cause: error });
  }

  private tooLarge(provider: string, cause: unknown): GatewayError {
    return new GatewayError(
      'PROVIDER_INVALID_RESPONSE',
      `${provider} sent a reply over ${this.maxResponseBytes} bytes (MAX_UPSTREAM_RESPONSE_BYTES); it was not read further`,
      { provider, cause },
    );
  }
}

const RESPONSE_TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/**
 * The request as text, before any attempt: a body that cannot be serialized (too deep, a bug) fails
 * here, as our own error, so it is never sent, retried, counted against the provider's circuit or
 * reported as a provider failure.
 */
export function serializeRequest(provider: string, request: UpstreamRequest): SerializedRequest {
  if (request.body === undefined) return { url: request.url, headers: request.headers };
  try {
    return { url: request.url, headers: request.headers, payload: JSON.stringify(request.body) };
  } catch (error) {
    throw new GatewayError('INTERNAL_ERROR', `The gateway could not build the request to ${provider}; nothing was sent`, { cause: error });
  }
}

/**
 * The gateway's own headers (a JSON body's content type, what it accepts), set on the request's
 * header object, which is the call's own (adapters build one per request, serializeRequest keeps
 * it): assigned rather than copied with an object spread, because in this V8 a spread copy of a
 * fresh per-call object outlived young-generation collections on every call (bench/README.md,
 * "what execute calls promoted"). Setting them again on a retry changes nothing.
 */
function withGatewayHeaders(request: SerializedRequest, accept: string): Record<string, string> {
  const headers = request.headers;
  if (request.payload !== undefined) headers['content-type'] = 'application/json';
  headers.accept = accept;
  return headers;
}

/** The caller went away: not the provider's fault, and nothing to retry. */
export function cancelled(provider: string, cause?: unknown): GatewayError {
  return new GatewayError('CANCELLED', 'The caller closed the connection; the upstream call was aborted', { provider, cause });
}

/** An open upstream event stream (status 2xx), its body still to be read. */
export interface UpstreamStream {
  status: number;
  headers: IncomingHttpHeaders;
  stream: AsyncIterable<Uint8Array>;
  /** Time to the upstream's response headers. */
  latencyMs: number;
  /** The stream's total deadline (STREAM_TIMEOUT_MS); it aborts the body when it passes. */
  deadline: RequestDeadline;
  /** Stops the total deadline: call once the body has been read, or given up on. */
  finish(): void;
}

/** A reply read to its end; `latencyMs` runs from `startedAt` to the last byte. */
function readReply(status: number, headers: IncomingHttpHeaders, text: string, startedAt: number): UpstreamReply {
  return { status, headers, body: parseJsonOrText(text), latencyMs: performance.now() - startedAt };
}

function parseJsonOrText(text: string): unknown {
  if (text.length === 0) return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const CONNECT_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
};

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps the socket error; the useful code may sit one `cause` down.
  for (let depth = 0; depth < 3 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
