import { normalizeFinishReason } from '@app/normalization';
import type { StreamDecoder, StreamUpdate } from './stream-types.js';

/** OpenAI-style `chat.completion.chunk` events (OpenAI, compatible servers, HuggingFace TGI). */
export class OpenAiStreamDecoder implements StreamDecoder {
  decode({ data }: { data: string }): StreamUpdate[] {
    if (data === '[DONE]') return [];
    const chunk = JSON.parse(data) as {
      model?: string;
      choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
    };
    const update: StreamUpdate = {};
    const choice = chunk.choices?.[0];
    if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') update.delta = choice.delta.content;
    if (choice?.finish_reason) update.finishReason = normalizeFinishReason(choice.finish_reason);
    if (chunk.usage) {
      update.promptTokens = chunk.usage.prompt_tokens;
      update.completionTokens = chunk.usage.completion_tokens;
    }
    if (chunk.model) update.model = chunk.model;
    return [update];
  }
}
