import type { FinishReason } from '@app/normalization';

/** What one upstream stream event tells us, in the gateway's vocabulary. */
export interface StreamUpdate {
  delta?: string;
  finishReason?: FinishReason;
  promptTokens?: number;
  completionTokens?: number;
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
      metadata: Record<string, unknown>;
    };
