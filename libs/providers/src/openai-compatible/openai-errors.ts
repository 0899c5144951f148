import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply } from '../upstream/upstream-types.js';
import { CONTEXT_LENGTH_MESSAGE, upstreamFailure } from '../upstream/upstream-status.js';

/**
 * Error mapping for OpenAI-style bodies `{error: {message, type, code, param}}`. Many compatible
 * servers (vLLM, Groq, Ollama, Azure, HuggingFace's Messages API) use the same shape, so this is shared.
 */
export function mapOpenAiStyleError(provider: string, reply: UpstreamReply): UpstreamFailure {
  const { message, code, type } = readOpenAiError(reply.body);
  const upstreamText = message ?? `HTTP ${reply.status}`;
  const upstreamCode = code ?? type;
  if (code === 'context_length_exceeded' || CONTEXT_LENGTH_MESSAGE.test(upstreamText)) {
    return upstreamFailure(provider, reply, upstreamText, 'CONTEXT_LENGTH_EXCEEDED', upstreamCode);
  }
  if (reply.status === 429 && (code === 'insufficient_quota' || type === 'insufficient_quota')) {
    return upstreamFailure(provider, reply, upstreamText, 'PROVIDER_QUOTA_EXCEEDED', upstreamCode);
  }
  return upstreamFailure(provider, reply, upstreamText, undefined, upstreamCode);
}

/** Reads `{error: {message, code, type}}`, `{error: "text"}`, `{message}`, `{detail}` (problem+json) or a text body. */
export function readOpenAiError(body: unknown): { message?: string; code?: string; type?: string } {
  if (typeof body === 'string') return { message: body.slice(0, 500) || undefined };
  if (body === null || typeof body !== 'object') return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  if (error === null || typeof error !== 'object') {
    const { message, detail } = body as { message?: unknown; detail?: unknown };
    return typeof message === 'string' ? { message } : typeof detail === 'string' ? { message: detail } : {};
  }
  const { message, code, type } = error as Record<string, unknown>;
  return {
    message: typeof message === 'string' ? message : undefined,
    code: typeof code === 'string' ? code : undefined,
    type: typeof type === 'string' ? type : undefined,
  };
}
