import type { ErrorCode } from '@app/common';
import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply } from '../upstream/upstream-types.js';
import { CONTEXT_LENGTH_MESSAGE, upstreamFailure } from '../upstream/upstream-status.js';

/**
 * What an Anthropic error means, from its `type` and message: the one mapping for whole replies
 * (`{type: "error", error: {type, message}}` with a status) and for `error` events mid-stream.
 * Undefined: nothing Anthropic-specific, the HTTP status decides.
 */
export function anthropicErrorCode(status: number | undefined, type: string | undefined, text: string): ErrorCode | undefined {
  if (status === 529 || type === 'overloaded_error') return 'PROVIDER_UNAVAILABLE';
  if (CONTEXT_LENGTH_MESSAGE.test(text) || type === 'request_too_large') return 'CONTEXT_LENGTH_EXCEEDED';
  if (/credit balance is too low/i.test(text)) return 'PROVIDER_QUOTA_EXCEEDED';
  return undefined;
}

/** A failed reply, with 529 for "overloaded". */
export function mapAnthropicError(provider: string, reply: UpstreamReply): UpstreamFailure {
  const error = (reply.body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  const text =
    typeof error?.message === 'string'
      ? error.message
      : typeof reply.body === 'string' && reply.body
        ? reply.body.slice(0, 500)
        : `HTTP ${reply.status}`;
  return upstreamFailure(provider, reply, text, anthropicErrorCode(reply.status, type, text), type);
}
