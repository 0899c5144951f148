import type { FinishReason } from './normalized-response.js';

/**
 * Every provider's stop vocabulary mapped onto ours. Unknown values become 'unknown' rather than
 * leaking a new provider-specific string into the contract.
 */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  // OpenAI and OpenAI-compatible servers
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  // Anthropic
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  // HuggingFace text-generation-inference
  eos_token: 'stop',
};

export function normalizeFinishReason(upstreamReason: unknown): FinishReason {
  if (typeof upstreamReason !== 'string') return 'unknown';
  // Own keys only: 'constructor' or 'toString' from an upstream must not reach Object.prototype.
  return Object.hasOwn(FINISH_REASONS, upstreamReason) ? FINISH_REASONS[upstreamReason] : 'unknown';
}
