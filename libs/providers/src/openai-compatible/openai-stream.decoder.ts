import { normalizeFinishReason, tokenCount } from '@app/normalization';
import { UpstreamStreamError, type StreamDecoder, type StreamUpdate, type ToolCallDelta } from '../streaming/stream-types.js';
import { readOpenAiError } from './openai-errors.js';

interface OpenAiToolCallChunk {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** OpenAI-style `chat.completion.chunk` events (OpenAI, compatible servers, HuggingFace TGI). */
export class OpenAiStreamDecoder implements StreamDecoder {
  decode({ data }: { data: string }): StreamUpdate[] {
    if (data === '[DONE]') return [{ end: true }];
    const chunk = JSON.parse(data) as {
      error?: unknown;
      model?: unknown;
      choices?: Array<{ delta?: { content?: string | null; tool_calls?: OpenAiToolCallChunk[] }; finish_reason?: string | null }>;
      usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
    };
    if (chunk.error !== undefined && chunk.error !== null) throw new UpstreamStreamError(readOpenAiError(chunk).message ?? 'stream error');
    const update: StreamUpdate = {};
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') update.delta = choice.delta.content;
    if (Array.isArray(choice?.delta?.tool_calls)) update.toolCalls = choice.delta.tool_calls.filter(isObject).map(toToolCallDelta);
    if (typeof choice?.finish_reason === 'string' && choice.finish_reason !== '')
      update.finishReason = normalizeFinishReason(choice.finish_reason);
    if (chunk.usage && typeof chunk.usage === 'object') {
      update.promptTokens = tokenCount(chunk.usage.prompt_tokens);
      update.completionTokens = tokenCount(chunk.usage.completion_tokens);
      if (update.promptTokens === undefined || update.completionTokens === undefined) update.usageInvalid = true;
    }
    if (typeof chunk.model === 'string') update.model = chunk.model;
    return [update];
  }
}

function isObject(value: unknown): value is OpenAiToolCallChunk {
  return value !== null && typeof value === 'object';
}

function toToolCallDelta(chunk: OpenAiToolCallChunk, position: number): ToolCallDelta {
  const delta: ToolCallDelta = { index: Number.isSafeInteger(chunk.index) && chunk.index! >= 0 ? chunk.index! : position };
  if (typeof chunk.id === 'string') delta.id = chunk.id;
  if (typeof chunk.function?.name === 'string') delta.name = chunk.function.name;
  if (typeof chunk.function?.arguments === 'string') delta.arguments = chunk.function.arguments;
  return delta;
}
