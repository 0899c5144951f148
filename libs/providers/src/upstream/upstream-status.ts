import type { ErrorCode } from '@app/common';

/**
 * The HTTP-status part of error mapping shared by every adapter. Adapters refine it with what only
 * their body says (context length, quota), and fall back to this.
 */
export function errorCodeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED';
  if (status === 408) return 'PROVIDER_TIMEOUT';
  if (status === 413) return 'CONTEXT_LENGTH_EXCEEDED';
  if (status === 429) return 'PROVIDER_RATE_LIMITED';
  if (status >= 500) return 'PROVIDER_UNAVAILABLE';
  return 'PROVIDER_BAD_REQUEST';
}
