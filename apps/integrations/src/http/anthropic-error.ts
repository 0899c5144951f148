import type { GatewayError } from '@app/common';
import { compatibleErrorStatus } from './compatible-error-status.js';
import { errorFacts } from './envelope.js';

/**
 * /v1/messages answers errors as Anthropic does, `{type: "error", error: {type, message}}`, so its
 * SDK raises the right class; the gateway's own fields (`code`, `requestId`, `details`, …) come
 * along inside `error`.
 */
export function anthropicErrorBody(error: GatewayError, requestId: string): { type: 'error'; error: Record<string, unknown> } {
  return { type: 'error', error: { ...errorFacts(error, requestId), type: anthropicErrorType(compatibleErrorStatus(error)) } };
}

function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
