/**
 * The one response shape every provider is normalized into. Callers switch `provider` and keep
 * their parsing code; this file is the contract, documented in the README and in Swagger.
 */
export interface NormalizedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Why generation stopped, in one vocabulary across providers. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'unknown';

/** A function call the model asked for. `arguments` is JSON text, whichever provider answered. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface NormalizedResponse {
  provider: string;
  /** The model that actually answered, as the upstream reported it. */
  model: string;
  /** Generated text; null for operations that produce no text (embeddings). */
  content: string | null;
  usage: NormalizedUsage;
  finishReason: FinishReason;
  /** Tool calls the model made (finishReason 'tool_calls'); absent when there are none. */
  toolCalls?: ToolCall[];
  /** Embedding vectors, one per input, in input order (embeddings only). */
  embeddings?: number[][];
  metadata: ResponseMetadata;
}

export interface ResponseMetadata {
  /** The gateway's request id (also in the x-request-id header and the execution log). */
  requestId: string;
  /** Time spent waiting on the upstream, in milliseconds. */
  upstreamLatencyMs: number;
  /** The upstream's own id for the generation or request, when it gives one. */
  upstreamId?: string;
  [key: string]: unknown;
}
