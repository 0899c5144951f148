import { GatewayError, redactSecrets } from '@app/common';
import type { FinishReason, ToolCall } from '@app/normalization';
import type { PreparedCall, ProviderAdapter } from '../provider-adapter.js';
import type { UpstreamStream } from '../upstream/upstream.client.js';
import { SseParser } from './sse-parser.js';
import {
  UpstreamStreamError,
  type NormalizedStreamChunk,
  type StreamDecoder,
  type StreamListener,
  type ToolCallDelta,
} from './stream-types.js';

/** An upstream stream that answered 2xx, ready to be relayed. */
export interface OpenedStream {
  adapter: ProviderAdapter;
  call: PreparedCall;
  decoder: StreamDecoder;
  upstream: UpstreamStream;
  attempts: number;
  /** Set when a fallback rule moved the call here before it started. */
  fallbackFrom?: { provider: string; reason: string };
}

export type FinalStreamChunk = Extract<NormalizedStreamChunk, { usage: unknown }>;

/**
 * Reads the upstream's events as they come and hands each text delta and tool-call piece on at once
 * (nothing is held back), then builds the final chunk, with the tool calls put together whole. Usage
 * comes from the provider's own counts; a provider that sends none, or counts that are not counts,
 * gets an estimate from the text, flagged `usageEstimated`. A stream that closes without the
 * upstream's end marker or a finish reason fails as PROVIDER_INVALID_RESPONSE.
 */
export async function relayStream(opened: OpenedStream, requestId: string, listener: StreamListener): Promise<FinalStreamChunk> {
  const parser = new SseParser();
  let index = 0;
  /** Characters of text relayed: what an estimate of the completion's tokens needs, without keeping the text. */
  let textLength = 0;
  let finishReason: FinishReason | undefined;
  let promptTokens: number | undefined;
  let completionTokens: number | undefined;
  let model = opened.call.model;
  let usageInvalid = false;
  let ended = false;
  const toolCalls = new ToolCallAssembler();
  for await (const bytes of opened.upstream.stream) {
    for (const event of parser.push(bytes)) {
      let updates;
      try {
        updates = opened.decoder.decode(event);
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        if (error instanceof UpstreamStreamError) {
          throw new GatewayError('PROVIDER_UNAVAILABLE', `${opened.adapter.name}: ${redactSecrets(error.upstreamMessage.slice(0, 500))}`, {
            provider: opened.adapter.name,
          });
        }
        throw new GatewayError('PROVIDER_INVALID_RESPONSE', `${opened.adapter.name} sent a stream event the gateway could not read`, {
          provider: opened.adapter.name,
        });
      }
      for (const update of updates) {
        if (update.model && update.model !== model) {
          model = update.model;
          listener.model?.(model);
        }
        if (update.finishReason) finishReason = update.finishReason;
        if (update.promptTokens !== undefined) promptTokens = update.promptTokens;
        if (update.completionTokens !== undefined) completionTokens = update.completionTokens;
        if (update.usageInvalid) usageInvalid = true;
        if (update.end) ended = true;
        if (update.delta) {
          textLength += update.delta.length;
          listener.delta({ delta: update.delta, index: index++ });
        }
        for (const toolCall of update.toolCalls ?? []) {
          toolCalls.add(toolCall);
          listener.toolCall(toolCall);
        }
      }
    }
    const ready = listener.ready?.();
    if (ready) await callerCaughtUp(ready, opened);
  }
  // A clean close is not a finished answer: without the upstream's end marker or a finish reason the
  // stream was cut short (a proxy timeout, a crashed server), and the caller must not take it as whole.
  if (!ended && finishReason === undefined) {
    throw new GatewayError('PROVIDER_INVALID_RESPONSE', `The ${opened.adapter.name} stream ended before the answer was complete`, {
      provider: opened.adapter.name,
    });
  }
  const usageEstimated = usageInvalid || promptTokens === undefined || completionTokens === undefined;
  const prompt = usageInvalid ? 0 : (promptTokens ?? 0);
  const completion = usageInvalid || completionTokens === undefined ? Math.ceil(textLength / 4) : completionTokens;
  const requestIdHeader = opened.upstream.headers['x-request-id'] ?? opened.upstream.headers['request-id'];
  return {
    provider: opened.adapter.name,
    model,
    usage: { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion },
    finishReason: finishReason ?? 'unknown',
    ...(toolCalls.size > 0 && { toolCalls: toolCalls.whole() }),
    metadata: {
      requestId,
      upstreamLatencyMs: Math.round(opened.upstream.latencyMs * 100) / 100,
      upstreamRequestId: Array.isArray(requestIdHeader) ? requestIdHeader[0] : requestIdHeader,
      attempts: opened.attempts,
      chunks: index,
      ...(opened.fallbackFrom && { fallbackFrom: opened.fallbackFrom.provider, fallbackReason: opened.fallbackFrom.reason }),
      ...(usageEstimated && { usageEstimated: true }),
    },
  };
}

/**
 * Waits until the caller has taken what it was given. Meanwhile nothing more is read from the
 * upstream: undici stops reading its socket past a small queue (and its silence timer stops with
 * it), and the upstream's server waits as it would for a slow network. A caller that takes nothing
 * more before the stream's total deadline has in effect gone: CANCELLED, which, unlike the
 * PROVIDER_TIMEOUT the deadline means otherwise, says nothing about the provider.
 */
async function callerCaughtUp(ready: Promise<void>, opened: OpenedStream): Promise<void> {
  const deadline = opened.upstream.deadline;
  if (deadline.aborted) return; // ended meanwhile (timed out, or the caller hung up): the next read says how
  let deadlinePassed!: () => void;
  await Promise.race([ready, new Promise<void>((resolve) => deadline.once('abort', (deadlinePassed = resolve)))]);
  deadline.removeListener('abort', deadlinePassed);
  if (deadline.timedOut) {
    throw new GatewayError(
      'CANCELLED',
      `The caller read no further of the ${opened.adapter.name} stream before its deadline (STREAM_TIMEOUT_MS)`,
      {
        provider: opened.adapter.name,
      },
    );
  }
}

/** Puts streamed tool-call pieces back together, in the order of their index. */
class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCall>();

  get size(): number {
    return this.calls.size;
  }

  add({ index, id, name, arguments: argumentsPart }: ToolCallDelta): void {
    const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
    if (id) call.id = id;
    if (name) call.name = name;
    if (argumentsPart) call.arguments += argumentsPart;
    this.calls.set(index, call);
  }

  whole(): ToolCall[] {
    return [...this.calls].sort(([a], [b]) => a - b).map(([, call]) => call);
  }
}
