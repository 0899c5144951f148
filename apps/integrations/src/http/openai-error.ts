import type { GatewayError } from '@app/common';
import { errorFacts, type ErrorFacts } from './envelope.js';

/** The OpenAI error shape: `{error: {message, type, param, code, …}}`. */
export interface OpenAiErrorBody {
  error: ErrorFacts & { type: string; param: string | null };
}

/**
 * The /v1 surface answers errors as OpenAI does, so its SDKs raise the right class: `type` and
 * `param` beside our own fields (`code` stays the gateway's stable code, `requestId` and the rest
 * are kept). The status is `compatibleErrorStatus`.
 */
export function openAiErrorBody(error: GatewayError, requestId: string, status: number): OpenAiErrorBody {
  const facts = errorFacts(error, requestId);
  return { error: { ...facts, type: openAiErrorType(error, status), param: facts.field ?? null } };
}

export function openAiErrorType(error: GatewayError, status: number): string {
  if (error.code === 'PROVIDER_QUOTA_EXCEEDED') return 'insufficient_quota';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 500) return 'server_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
