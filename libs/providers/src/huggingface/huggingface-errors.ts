import { readOpenAiError } from '../openai-compatible/openai-errors.js';
import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply } from '../upstream/upstream-types.js';
import { CONTEXT_LENGTH_MESSAGE, upstreamFailure } from '../upstream/upstream-status.js';

/**
 * HuggingFace errors, as the Inference Providers router and the serving stacks behind it word them:
 * `{error: "…"}`, `{error: {message}}` (OpenAI-shaped, from the provider it routed to), `{detail}`,
 * `{message}`, or `{error: [...]}` / `{error, estimated_time}` from text-generation-inference. 402 is
 * the account's credits running out; a 503 while a model loads (self-hosted and legacy paths) is
 * retryable, with its estimated loading time passed on.
 */
export function mapHuggingFaceError(provider: string, reply: UpstreamReply): UpstreamFailure {
  const body = (reply.body ?? {}) as { error?: unknown; estimated_time?: unknown };
  const text = Array.isArray(body.error) ? body.error.join('; ') : (readOpenAiError(reply.body).message ?? `HTTP ${reply.status}`);
  if (reply.status === 402) return upstreamFailure(provider, reply, text, 'PROVIDER_QUOTA_EXCEEDED');
  if (reply.status === 503 && typeof body.estimated_time === 'number') {
    const estimatedWaitMs = Math.ceil(body.estimated_time * 1000);
    const failure = upstreamFailure(provider, reply, text, 'PROVIDER_UNAVAILABLE');
    return { ...failure, retryAfterMs: failure.retryAfterMs ?? estimatedWaitMs, metadata: { modelLoading: true, estimatedWaitMs } };
  }
  if (CONTEXT_LENGTH_MESSAGE.test(text)) return upstreamFailure(provider, reply, text, 'CONTEXT_LENGTH_EXCEEDED');
  return upstreamFailure(provider, reply, text);
}
