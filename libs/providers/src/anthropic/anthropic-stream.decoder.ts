import { GatewayError } from '@app/common';
import { normalizeFinishReason, tokenCount } from '@app/normalization';
import type { StreamDecoder, StreamUpdate } from '../streaming/stream-types.js';
import { anthropicErrorCode } from './anthropic-errors.js';

type Fields = Record<string, unknown>;

/**
 * Anthropic's Messages stream: `message_start` (model, input tokens), `content_block_delta` (text,
 * or a tool_use block's input as `input_json_delta`), `message_delta` (stop reason, output tokens),
 * `message_stop` (the end), `error` mid-stream. Tool calls are numbered in order of their blocks.
 * Every field is read as the untrusted input it is.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  /** Content block index → tool call index, for tool_use blocks. */
  private readonly toolIndexByBlock = new Map<unknown, number>();

  constructor(private readonly provider: string) {}

  decode({ event, data }: { event?: string; data: string }): StreamUpdate[] {
    const payload = fields(JSON.parse(data));
    if (!payload) return [];
    const type = event ?? payload.type;
    const delta = fields(payload.delta);
    if (type === 'message_start') return [messageStart(fields(payload.message))];
    if (type === 'content_block_delta' && delta?.type === 'text_delta') {
      return typeof delta.text === 'string' && delta.text !== '' ? [{ delta: delta.text }] : [];
    }
    const block = fields(payload.content_block);
    if (type === 'content_block_start' && block?.type === 'tool_use') {
      const index = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(payload.index, index);
      return [
        {
          toolCalls: [
            {
              index,
              ...(typeof block.id === 'string' && { id: block.id }),
              ...(typeof block.name === 'string' && { name: block.name }),
              arguments: '',
            },
          ],
        },
      ];
    }
    if (type === 'content_block_delta' && delta?.type === 'input_json_delta') {
      const index = this.toolIndexByBlock.get(payload.index);
      return index === undefined
        ? []
        : [{ toolCalls: [{ index, arguments: typeof delta.partial_json === 'string' ? delta.partial_json : '' }] }];
    }
    if (type === 'message_delta') return [messageDelta(delta, fields(payload.usage))];
    if (type === 'message_stop') return [{ end: true }];
    if (type === 'error') {
      const error = fields(payload.error);
      const message = typeof error?.message === 'string' ? error.message : 'stream error';
      const code =
        anthropicErrorCode(undefined, typeof error?.type === 'string' ? error.type : undefined, message) ?? 'PROVIDER_INVALID_RESPONSE';
      throw new GatewayError(code, `${this.provider}: ${message}`, { provider: this.provider });
    }
    return [];
  }
}

/** The model and the prompt's tokens (input_tokens excludes prompt-cache reads and writes: the prompt is all three). */
function messageStart(message: Fields | undefined): StreamUpdate {
  const usage = fields(message?.usage) ?? {};
  const update: StreamUpdate = {};
  if (typeof message?.model === 'string') update.model = message.model;
  const parts = [usage.input_tokens, usage.cache_creation_input_tokens ?? 0, usage.cache_read_input_tokens ?? 0].map(tokenCount);
  if (parts.every((part) => part !== undefined)) update.promptTokens = parts.reduce<number>((sum, part) => sum + part, 0);
  else update.usageInvalid = true;
  if (usage.output_tokens !== undefined) {
    update.completionTokens = tokenCount(usage.output_tokens);
    if (update.completionTokens === undefined) update.usageInvalid = true;
  }
  return update;
}

function messageDelta(delta: Fields | undefined, usage: Fields | undefined): StreamUpdate {
  const update: StreamUpdate = {};
  if (typeof delta?.stop_reason === 'string') update.finishReason = normalizeFinishReason(delta.stop_reason);
  if (usage?.output_tokens !== undefined) {
    update.completionTokens = tokenCount(usage.output_tokens);
    if (update.completionTokens === undefined) update.usageInvalid = true;
  }
  return update;
}

function fields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}
