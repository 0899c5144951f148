import type { FinishReason, ToolCall } from '@app/normalization';

/**
 * A piece of a tool call as it streams, OpenAI-style: the first piece of each call carries its `id`
 * and `name`, later pieces carry the next part of the `arguments` JSON text.
 */
export interface ToolCallDelta {
  /** Which tool call of this answer: 0, 1, … */
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

/** What one upstream stream event tells us, in the gateway's vocabulary. */
export interface StreamUpdate {
  delta?: string;
  toolCalls?: ToolCallDelta[];
  finishReason?: FinishReason;
  promptTokens?: number;
  completionTokens?: number;
  /** The upstream sent usage counts that are not counts (negative, strings, …): usage is estimated. */
  usageInvalid?: true;
  /** The upstream's own end-of-stream marker (`[DONE]`, `message_stop`): the answer is complete. */
  end?: true;
  model?: string;
}

/** Turns one provider's server-sent events into updates; stateful per stream. */
export interface StreamDecoder {
  decode(event: { event?: string; data: string }): StreamUpdate[];
}

/** A chunk as the caller receives it: `{delta, index}`, then one final `{usage, finishReason, …}`. */
export type NormalizedStreamChunk =
  | { delta: string; index: number }
  | {
      provider: string;
      model: string;
      usage: { promptTokens: number; completionTokens: number; totalTokens: number };
      finishReason: FinishReason;
      /** Every tool call of the answer, whole, as in a non-streamed response. */
      toolCalls?: ToolCall[];
      metadata: Record<string, unknown>;
    };

/** Where a relay hands what it reads, as it reads it. */
export interface StreamListener {
  delta(chunk: { delta: string; index: number }): void;
  toolCall(delta: ToolCallDelta): void;
  /** The model the upstream says is answering, as soon as it says so (before the first delta it comes with). */
  model?(name: string): void;
  /**
   * Undefined while the caller can take more; else a promise that settles once it has taken what it
   * was given, or has gone. The relay reads no further from the upstream meanwhile: a caller that
   * reads slowly holds its upstream back, not the rest of its stream in the gateway's memory.
   */
  ready?(): Promise<void> | undefined;
}

/**
 * An error the upstream reported inside a stream that had started well (`data: {"error": …}`, as
 * OpenAI-compatible servers and HuggingFace's router send it). The relay names the provider.
 */
export class UpstreamStreamError extends Error {
  constructor(readonly upstreamMessage: string) {
    super(upstreamMessage);
    this.name = 'UpstreamStreamError';
  }
}
