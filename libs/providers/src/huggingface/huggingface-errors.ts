import { readOpenAiError } from '../openai-compatible/openai-errors.js';
import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply } from '../upstream/upstream-types.js';
import { CONTEXT_LENGTH_MESSAGE, upstreamFailure } from '../upstream/upstream-status.js';

/**
 * HuggingFace errors: `{error: "…", estimated_time?}` (Inference API) or OpenAI-style bodies (Messages
 * API). A 503 while a model loads is retryable, and its estimated loading time is passed on.
 */
export function mapHuggingFaceError(provider: string, reply: UpstreamReply): UpstreamFailure {
  const body = (reply.body ?? {}) as { error?: unknown; estimated_time?: unknown };
  const text = Array.isArray(body.error) ? body.error.join('; ') : (readOpenAiError(reply.body).message ?? `HTTP ${reply.status}`);
  if (reply.status === 503 && typeof body.estimated_time === 'number') {
    const estimatedWaitMs = Math.ceil(body.estimated_time * 1000);
    const failure = upstreamFailure(provider, reply, text, 'PROVIDER_UNAVAILABLE');
    return { ...failure, retryAfterMs: failure.retryAfterMs ?? estimatedWaitMs, metadata: { modelLoading: true, estimatedWaitMs } };
  }
  if (CONTEXT_LENGTH_MESSAGE.test(text)) return upstreamFailure(provider, reply, text, 'CONTEXT_LENGTH_EXCEEDED');
  return upstreamFailure(provider, reply, text);
}
