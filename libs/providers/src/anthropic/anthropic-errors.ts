import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply } from '../upstream/upstream-types.js';
import { CONTEXT_LENGTH_MESSAGE, upstreamFailure } from '../upstream/upstream-status.js';

/** Anthropic errors: `{type: "error", error: {type, message}}`, with 529 for "overloaded". */
export function mapAnthropicError(provider: string, reply: UpstreamReply): UpstreamFailure {
  const error = (reply.body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const text =
    typeof error?.message === 'string'
      ? error.message
      : typeof reply.body === 'string' && reply.body
        ? reply.body.slice(0, 500)
        : `HTTP ${reply.status}`;
  if (reply.status === 529 || type === 'overloaded_error') return upstreamFailure(provider, reply, text, 'PROVIDER_UNAVAILABLE');
  if (CONTEXT_LENGTH_MESSAGE.test(text) || type === 'request_too_large')
    return upstreamFailure(provider, reply, text, 'CONTEXT_LENGTH_EXCEEDED');
  if (/credit balance is too low/i.test(text)) return upstreamFailure(provider, reply, text, 'PROVIDER_QUOTA_EXCEEDED');
  return upstreamFailure(provider, reply, text);
}
