import { extend, integer, optional, string } from '@app/common';
import { CHAT_COMPLETION_PARAMS, type ChatCompletionParams } from '../params/chat-completion.params.js';

/** Anthropic `messages`: the chat vocabulary plus Anthropic's top-level `system` and `topK`. */
export interface AnthropicMessagesParams extends ChatCompletionParams {
  system?: string;
  topK?: number;
}

export const ANTHROPIC_MESSAGES_PARAMS = extend<ChatCompletionParams, Pick<AnthropicMessagesParams, 'system' | 'topK'>>(
  CHAT_COMPLETION_PARAMS,
  {
    system: optional(string({ max: 1_000_000 })),
    topK: optional(integer({ min: 1, max: 1000 })),
  },
);

/** Anthropic's `chat.completions`: the chat vocabulary plus `topK`, which Anthropic honours (`top_k`). */
export const ANTHROPIC_CHAT_PARAMS = extend<ChatCompletionParams, Pick<AnthropicMessagesParams, 'topK'>>(CHAT_COMPLETION_PARAMS, {
  topK: optional(integer({ min: 1, max: 1000 })),
});
