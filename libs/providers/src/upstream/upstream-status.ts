import type { ErrorCode } from '@app/common';
import type { UpstreamFailure } from '../provider-adapter.js';
import { parseRetryAfterMs } from './retry-after.js';
import type { UpstreamReply } from './upstream-types.js';

/**
 * The HTTP-status part of error mapping shared by every adapter. Adapters refine it with what only
 * their body says (context length, quota, overload), and fall back to this.
 */
export function errorCodeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED';
  if (status === 408) return 'PROVIDER_TIMEOUT';
  if (status === 413) return 'CONTEXT_LENGTH_EXCEEDED';
  if (status === 429) return 'PROVIDER_RATE_LIMITED';
  if (status >= 500) return 'PROVIDER_UNAVAILABLE';
  return 'PROVIDER_BAD_REQUEST';
}

/** A failure with `code` (or the status's code) and the upstream's wait hint, when it gave one. */
export function upstreamFailure(
  provider: string,
  reply: UpstreamReply,
  upstreamText: string,
  code?: ErrorCode,
  upstreamCode?: string,
): UpstreamFailure {
  const failure: UpstreamFailure = { code: code ?? errorCodeForUpstreamStatus(reply.status), message: `${provider}: ${upstreamText}` };
  // The provider's own error code, when it is a plain identifier (never free text, which may carry a key).
  if (upstreamCode !== undefined && UPSTREAM_CODE.test(upstreamCode)) failure.upstreamCode = upstreamCode;
  const retryAfterMs = parseRetryAfterMs(reply.headers);
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

const UPSTREAM_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** Context-window complaints as each provider words them. */
export const CONTEXT_LENGTH_MESSAGE =
  /maximum context length|context window|context length|prompt is too long|too many tokens|must be <= \d+/i;
