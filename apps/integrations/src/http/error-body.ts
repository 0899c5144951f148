import type { ErrorCode, FieldViolation, GatewayError } from '@app/common';

/** At most this many field violations are listed; `violationCount` says how many there were. */
export const MAX_LISTED_VIOLATIONS = 20;

/** The wire shape of every error the gateway answers with. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId: string;
    retryable: boolean;
    provider?: string;
    /** First offending field, for validation errors. */
    field?: string;
    /** The offending fields, for validation errors (the first MAX_LISTED_VIOLATIONS). */
    details?: FieldViolation[];
    /** How many violations there were, when more than were listed. */
    violationCount?: number;
    retryAfterMs?: number;
    metadata?: Record<string, unknown>;
  };
}

/** The one builder of error bodies: the exception filter and the framework-level handlers all use it. */
export function errorBody(error: GatewayError, requestId: string): ErrorBody {
  const violations = error.violations ?? [];
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      retryable: error.retryable,
      ...(error.provider && { provider: error.provider }),
      ...(violations.length > 0 && { field: violations[0].field, details: violations.slice(0, MAX_LISTED_VIOLATIONS) }),
      ...(violations.length > MAX_LISTED_VIOLATIONS && { violationCount: violations.length }),
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      ...(error.metadata && { metadata: error.metadata }),
    },
  };
}
