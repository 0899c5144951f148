import { GatewayError } from '@app/common';
import { normalizeFinishReason } from '@app/normalization';
import type { StreamDecoder, StreamUpdate } from './stream-types.js';

/**
 * Anthropic's Messages stream: `message_start` (model, input tokens), `content_block_delta` (text,
 * or a tool_use block's input as `input_json_delta`), `message_delta` (stop reason, output tokens),
 * `error` mid-stream. Tool calls are numbered in order of their blocks.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  /** Content block index → tool call index, for tool_use blocks. */
  private readonly toolIndexByBlock = new Map<number, number>();

  decode({ event, data }: { event?: string; data: string }): StreamUpdate[] {
    const payload = JSON.parse(data) as Record<string, any>;
    const type = event ?? payload.type;
    if (type === 'message_start') {
      const usage = payload.message?.usage ?? {};
      const promptTokens = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
      return [{ model: payload.message?.model, promptTokens, completionTokens: usage.output_tokens }];
    }
    if (type === 'content_block_delta' && payload.delta?.type === 'text_delta') return [{ delta: payload.delta.text }];
    if (type === 'content_block_start' && payload.content_block?.type === 'tool_use') {
      const index = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(payload.index, index);
      return [{ toolCalls: [{ index, id: payload.content_block.id, name: payload.content_block.name, arguments: '' }] }];
    }
    if (type === 'content_block_delta' && payload.delta?.type === 'input_json_delta') {
      const index = this.toolIndexByBlock.get(payload.index);
      return index === undefined ? [] : [{ toolCalls: [{ index, arguments: payload.delta.partial_json ?? '' }] }];
    }
    if (type === 'message_delta') {
      return [{ finishReason: payload.delta?.stop_reason ? normalizeFinishReason(payload.delta.stop_reason) : undefined, completionTokens: payload.usage?.output_tokens }];
    }
    if (type === 'error') {
      const overloaded = payload.error?.type === 'overloaded_error';
      throw new GatewayError(overloaded ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_INVALID_RESPONSE', `anthropic: ${payload.error?.message ?? 'stream error'}`, { provider: 'anthropic' });
    }
    return [];
  }
}
