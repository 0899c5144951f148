import type { ScriptedReply } from './fake-upstream.js';

/** Replies shaped like OpenAI's real ones (fields as documented in the API reference). */
export function openAiChatCompletion(overrides: { content?: string; model?: string; finishReason?: string } = {}): ScriptedReply {
  return {
    headers: { 'x-request-id': 'req_upstream_123' },
    body: {
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'chat.completion',
      created: 1741569952,
      model: overrides.model ?? 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: overrides.content ?? 'Hello! How can I help?', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: overrides.finishReason ?? 'stop',
        },
      ],
      usage: {
        prompt_tokens: 19,
        completion_tokens: 10,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_06737a9306',
    },
  };
}

export function openAiEmbeddings(vectors: number[][]): ScriptedReply {
  return {
    body: {
      object: 'list',
      // Deliberately out of order: the gateway must order by `index`.
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(),
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    },
  };
}

export function openAiError(
  status: number,
  message: string,
  type: string,
  code: string | null,
  headers?: Record<string, string>,
): ScriptedReply {
  return { status, headers, body: { error: { message, type, param: null, code } } };
}

/** An OpenAI chat completion in which the model calls get_weather({"city":"Paris"}). */
export function openAiToolCallCompletion(): ScriptedReply {
  return {
    body: {
      id: 'chatcmpl-tools',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 },
    },
  };
}
