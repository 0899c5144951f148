import { GatewayError } from '@app/common';
import { normalizeFinishReason, tokenCount } from '@app/normalization';
import type { StreamDecoder, StreamUpdate } from './stream-types.js';

/**
 * Anthropic's Messages stream: `message_start` (model, input tokens), `content_block_delta` (text,
 * or a tool_use block's input as `input_json_delta`), `message_delta` (stop reason, output tokens),
 * `message_stop` (the end), `error` mid-stream. Tool calls are numbered in order of their blocks.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  /** Content block index → tool call index, for tool_use blocks. */
  private readonly toolIndexByBlock = new Map<unknown, number>();

  decode({ event, data }: { event?: string; data: string }): StreamUpdate[] {
    const payload = JSON.parse(data) as Record<string, any>;
    if (payload === null || typeof payload !== 'object') return [];
    const type = event ?? payload.type;
    if (type === 'message_start') return [messageStart(payload.message)];
    if (type === 'content_block_delta' && payload.delta?.type === 'text_delta') {
      return typeof payload.delta.text === 'string' && payload.delta.text !== '' ? [{ delta: payload.delta.text }] : [];
    }
    if (type === 'content_block_start' && payload.content_block?.type === 'tool_use') {
      const index = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(payload.index, index);
      const { id, name } = payload.content_block;
      return [{ toolCalls: [{ index, ...(typeof id === 'string' && { id }), ...(typeof name === 'string' && { name }), arguments: '' }] }];
    }
    if (type === 'content_block_delta' && payload.delta?.type === 'input_json_delta') {
      const index = this.toolIndexByBlock.get(payload.index);
      const part = payload.delta.partial_json;
      return index === undefined ? [] : [{ toolCalls: [{ index, arguments: typeof part === 'string' ? part : '' }] }];
    }
    if (type === 'message_delta') return [messageDelta(payload)];
    if (type === 'message_stop') return [{ end: true }];
    if (type === 'error') {
      const overloaded = payload.error?.type === 'overloaded_error';
      const message = typeof payload.error?.message === 'string' ? payload.error.message : 'stream error';
      throw new GatewayError(overloaded ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_INVALID_RESPONSE', `anthropic: ${message}`, { provider: 'anthropic' });
    }
    return [];
  }
}

/** The model and the prompt's tokens (input_tokens excludes prompt-cache reads and writes: the prompt is all three). */
function messageStart(message: Record<string, any> | undefined): StreamUpdate {
  const usage = message?.usage ?? {};
  const update: StreamUpdate = {};
  if (typeof message?.model === 'string') update.model = message.model;
  const parts = [usage.input_tokens, usage.cache_creation_input_tokens ?? 0, usage.cache_read_input_tokens ?? 0].map(tokenCount);
  if (parts.every((part) => part !== undefined)) update.promptTokens = parts.reduce((sum, part) => sum! + part!, 0);
  else update.usageInvalid = true;
  if (usage.output_tokens !== undefined) {
    update.completionTokens = tokenCount(usage.output_tokens);
    if (update.completionTokens === undefined) update.usageInvalid = true;
  }
  return update;
}

function messageDelta(payload: Record<string, any>): StreamUpdate {
  const update: StreamUpdate = {};
  if (typeof payload.delta?.stop_reason === 'string') update.finishReason = normalizeFinishReason(payload.delta.stop_reason);
  if (payload.usage?.output_tokens !== undefined) {
    update.completionTokens = tokenCount(payload.usage.output_tokens);
    if (update.completionTokens === undefined) update.usageInvalid = true;
  }
  return update;
}
