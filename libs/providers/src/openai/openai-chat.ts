import { normalizeFinishReason, normalizeUsage } from '@app/normalization';
import type { ChatCompletionParams } from '../params/chat-completion.params.js';
import type { AdapterResult } from '../provider-adapter.js';
import { expectObject, optionalString } from '../upstream/reply-reading.js';

/**
 * Chat completions in the OpenAI wire format, shared by OpenAI and every OpenAI-compatible server.
 * camelCase gateway params become snake_case upstream fields; absent params are not sent at all, so the
 * upstream's own defaults apply.
 */
export function toOpenAiChatBody(params: ChatCompletionParams, model: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: params.messages.map(({ role, content, name }) => (name === undefined ? { role, content } : { role, content, name })),
  };
  setIfDefined(body, 'max_tokens', params.maxTokens);
  setIfDefined(body, 'temperature', params.temperature);
  setIfDefined(body, 'top_p', params.topP);
  setIfDefined(body, 'stop', params.stop);
  setIfDefined(body, 'presence_penalty', params.presencePenalty);
  setIfDefined(body, 'frequency_penalty', params.frequencyPenalty);
  setIfDefined(body, 'seed', params.seed);
  setIfDefined(body, 'user', params.user);
  return body;
}

export function fromOpenAiChatCompletion(provider: string, requestedModel: string, replyBody: unknown): AdapterResult {
  const body = expectObject(replyBody, 'chat completion');
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const firstChoice = (choices[0] ?? {}) as Record<string, unknown>;
  const message = (firstChoice.message ?? {}) as Record<string, unknown>;
  const usage = (body.usage ?? {}) as Record<string, unknown>;
  return {
    provider,
    model: optionalString(body.model) ?? requestedModel,
    content: typeof message.content === 'string' ? message.content : '',
    usage: normalizeUsage(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens),
    finishReason: normalizeFinishReason(firstChoice.finish_reason),
    metadata: {
      upstreamId: optionalString(body.id),
      systemFingerprint: optionalString(body.system_fingerprint),
    },
  };
}

function setIfDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
