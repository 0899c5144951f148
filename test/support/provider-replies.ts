import type { ScriptedReply } from './fake-upstream.js';

/** Replies shaped like each provider's real ones, as their API references document them. */

export function anthropicMessage(
  overrides: { content?: Array<Record<string, unknown>>; stopReason?: string; model?: string } = {},
): ScriptedReply {
  return {
    headers: { 'request-id': 'req_anthropic_123' },
    body: {
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      type: 'message',
      role: 'assistant',
      model: overrides.model ?? 'claude-3-5-sonnet-20241022',
      content: overrides.content ?? [{ type: 'text', text: 'Hello!' }],
      stop_reason: overrides.stopReason ?? 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  };
}

export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): ScriptedReply {
  return { status, headers, body: { type: 'error', error: { type, message } } };
}

/** An OpenAI-shaped chat completion, as HuggingFace's router (and text-generation-inference's Messages API) answer. */
export function huggingFaceChat(content = 'Hello!', model = 'meta-llama/Llama-3.2-3B-Instruct'): ScriptedReply {
  return {
    body: {
      object: 'chat.completion',
      id: '',
      created: 1732300000,
      model,
      system_fingerprint: '2.4.0-sha-0000000',
      choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    },
  };
}

/** The router's own errors are `{error: "…"}`; errors of the provider it routed to come OpenAI-shaped. */
export function huggingFaceRouterError(status: number, message: string, headers?: Record<string, string>): ScriptedReply {
  return {
    status,
    headers,
    body: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } },
  };
}

export function huggingFaceError(
  status: number,
  error: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): ScriptedReply {
  return { status, headers, body: { error, ...extra } };
}
