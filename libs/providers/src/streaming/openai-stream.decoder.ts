import { normalizeFinishReason } from '@app/normalization';
import type { StreamDecoder, StreamUpdate, ToolCallDelta } from './stream-types.js';

interface OpenAiToolCallChunk {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** OpenAI-style `chat.completion.chunk` events (OpenAI, compatible servers, HuggingFace TGI). */
export class OpenAiStreamDecoder implements StreamDecoder {
  decode({ data }: { data: string }): StreamUpdate[] {
    if (data === '[DONE]') return [];
    const chunk = JSON.parse(data) as {
      model?: string;
      choices?: Array<{ delta?: { content?: string | null; tool_calls?: OpenAiToolCallChunk[] }; finish_reason?: string | null }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
    };
    const update: StreamUpdate = {};
    const choice = chunk.choices?.[0];
    if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') update.delta = choice.delta.content;
    if (Array.isArray(choice?.delta?.tool_calls)) update.toolCalls = choice.delta.tool_calls.map(toToolCallDelta);
    if (choice?.finish_reason) update.finishReason = normalizeFinishReason(choice.finish_reason);
    if (chunk.usage) {
      update.promptTokens = chunk.usage.prompt_tokens;
      update.completionTokens = chunk.usage.completion_tokens;
    }
    if (chunk.model) update.model = chunk.model;
    return [update];
  }
}

function toToolCallDelta(chunk: OpenAiToolCallChunk, position: number): ToolCallDelta {
  const delta: ToolCallDelta = { index: typeof chunk.index === 'number' ? chunk.index : position };
  if (typeof chunk.id === 'string') delta.id = chunk.id;
  if (typeof chunk.function?.name === 'string') delta.name = chunk.function.name;
  if (typeof chunk.function?.arguments === 'string') delta.arguments = chunk.function.arguments;
  return delta;
}
