import type { ErrorCode } from '@app/common';
import type { NormalizedResponse } from '@app/normalization';
import type { StreamDecoder } from './streaming/stream-types.js';
import type { UpstreamReply, UpstreamRequest } from './upstream/upstream-types.js';

/** What a provider offers for one operation, as listed by GET /api/integrations/providers. */
export interface OperationDescriptor {
  name: string;
  description: string;
  defaultModel: string;
}

/** A request that passed the adapter's validation: the operation, resolved model and typed params. */
export interface PreparedCall<Params = unknown> {
  operation: string;
  model: string;
  params: Params;
}

/** How an upstream failure maps onto the taxonomy; the executor adds the provider and redacts. */
export interface UpstreamFailure {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
  /** The provider's own error code (`insufficient_quota`, `overloaded_error`), when it gave a plain one. */
  upstreamCode?: string;
  /** Extra facts for the caller, e.g. HuggingFace's estimated model loading time. */
  metadata?: Record<string, unknown>;
}

/** A normalized result before the executor adds request-scoped metadata. */
export type AdapterResult = Omit<NormalizedResponse, 'metadata'> & { metadata: Record<string, unknown> };

/**
 * One upstream API. Adapters are pure translators with no I/O: the executor owns the network call,
 * timeouts and redaction, so every adapter gets them identically and can be tested without a socket.
 */
export interface ProviderAdapter {
  /** The `provider` value callers send, e.g. `openai`. */
  readonly name: string;
  readonly displayName: string;
  /** Where its calls go (configuration, never the caller's choice). */
  readonly baseUrl: string;
  readonly operations: readonly OperationDescriptor[];
  /** Upstream deadline for one call, in milliseconds. */
  readonly timeoutMs: number;
  /** Its list-models answer (probeRequest) names the models a key can call: merged into model lists. */
  readonly listsModels?: boolean;
  /** False for keyless endpoints (e.g. a local Ollama): no credential is looked up or sent. */
  readonly requiresCredential: boolean;

  /** Checks the operation and params; throws OPERATION_NOT_SUPPORTED or VALIDATION_FAILED. */
  validate(operation: string, params: unknown): PreparedCall;
  /** Translates a prepared call into the upstream's HTTP request. */
  buildRequest(call: PreparedCall, apiKey: string | undefined): UpstreamRequest;
  /** Translates a successful upstream reply into the normalized shape; throws if the reply is unusable. */
  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult;
  /** Translates a failed upstream reply (status >= 400) into the taxonomy. */
  mapError(reply: UpstreamReply): UpstreamFailure;
  /** The streaming form of a call, or undefined when this operation cannot stream. */
  streamRequest?(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } | undefined;
  /** A cheap authenticated request that costs no tokens (e.g. list models): health checks, key verification. */
  probeRequest(apiKey: string | undefined): UpstreamRequest;
}
