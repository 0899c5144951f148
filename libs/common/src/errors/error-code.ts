/**
 * The gateway's one error taxonomy. Every adapter maps upstream failures onto these codes and the
 * global exception filter renders them, so a caller sees the same code whichever provider answered.
 * Codes are part of the public API: add new ones, never rename or repurpose one.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNKNOWN_PROVIDER: 'UNKNOWN_PROVIDER',
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  NO_ROUTE: 'NO_ROUTE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  URI_TOO_LONG: 'URI_TOO_LONG',
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  CREDENTIAL_NOT_FOUND: 'CREDENTIAL_NOT_FOUND',
  IDENTITY_UNAVAILABLE: 'IDENTITY_UNAVAILABLE',
  VAULT_DISABLED: 'VAULT_DISABLED',
  INTEGRATION_DISABLED: 'INTEGRATION_DISABLED',
  RATE_LIMITED: 'RATE_LIMITED',
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  CANCELLED: 'CANCELLED',
  PROVIDER_AUTH_FAILED: 'PROVIDER_AUTH_FAILED',
  PROVIDER_BAD_REQUEST: 'PROVIDER_BAD_REQUEST',
  CONTEXT_LENGTH_EXCEEDED: 'CONTEXT_LENGTH_EXCEEDED',
  PROVIDER_RATE_LIMITED: 'PROVIDER_RATE_LIMITED',
  PROVIDER_QUOTA_EXCEEDED: 'PROVIDER_QUOTA_EXCEEDED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  PROVIDER_INVALID_RESPONSE: 'PROVIDER_INVALID_RESPONSE',
  PROVIDER_TIMEOUT: 'PROVIDER_TIMEOUT',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The coarse family of an error, as the platform's callers classify failures (the Symbia
 * Integrations wire): the `code` says exactly what happened, the category what kind of thing.
 */
export type ErrorCategory =
  'auth' | 'validation' | 'rate_limit' | 'timeout' | 'provider' | 'network' | 'not_found' | 'content_filter' | 'quota' | 'internal';

interface ErrorCodeTraits {
  /** HTTP status the gateway answers with. */
  status: number;
  /** Whether the same request may succeed if retried later, unchanged. */
  retryable: boolean;
  category: ErrorCategory;
}

/**
 * Provider credential failures answer 424 (Failed Dependency) rather than 401: the caller's own
 * authentication succeeded, and a 401 would make well-behaved clients refresh their token in a loop.
 */
export const ERROR_CODE_TRAITS: Readonly<Record<ErrorCode, ErrorCodeTraits>> = {
  VALIDATION_FAILED: { status: 400, retryable: false, category: 'validation' },
  MALFORMED_REQUEST: { status: 400, retryable: false, category: 'validation' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, category: 'validation' },
  UNKNOWN_PROVIDER: { status: 400, retryable: false, category: 'validation' },
  OPERATION_NOT_SUPPORTED: { status: 400, retryable: false, category: 'validation' },
  /** `provider: "auto"` found no provider the caller can use with a model meeting the requirements. */
  NO_ROUTE: { status: 400, retryable: false, category: 'validation' },
  UNAUTHENTICATED: { status: 401, retryable: false, category: 'auth' },
  FORBIDDEN: { status: 403, retryable: false, category: 'auth' },
  NOT_FOUND: { status: 404, retryable: false, category: 'not_found' },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false, category: 'validation' },
  URI_TOO_LONG: { status: 414, retryable: false, category: 'validation' },
  HEADERS_TOO_LARGE: { status: 431, retryable: false, category: 'validation' },
  REQUEST_TIMEOUT: { status: 408, retryable: true, category: 'timeout' },
  /** This instance is draining for shutdown; another replica (or this one, restarted) will answer. */
  SHUTTING_DOWN: { status: 503, retryable: true, category: 'internal' },
  /** A route that needs the database, while it is unreachable. */
  DATABASE_UNAVAILABLE: { status: 503, retryable: true, category: 'internal' },
  CREDENTIAL_NOT_FOUND: { status: 424, retryable: false, category: 'auth' },
  IDENTITY_UNAVAILABLE: { status: 503, retryable: true, category: 'network' },
  VAULT_DISABLED: { status: 503, retryable: false, category: 'internal' },
  INTEGRATION_DISABLED: { status: 503, retryable: true, category: 'internal' },
  RATE_LIMITED: { status: 429, retryable: true, category: 'rate_limit' },
  BUDGET_EXCEEDED: { status: 402, retryable: false, category: 'quota' },
  /** 499 (client closed request): only ever logged, the caller is gone. */
  CANCELLED: { status: 499, retryable: false, category: 'internal' },
  PROVIDER_AUTH_FAILED: { status: 424, retryable: false, category: 'auth' },
  PROVIDER_BAD_REQUEST: { status: 400, retryable: false, category: 'validation' },
  CONTEXT_LENGTH_EXCEEDED: { status: 400, retryable: false, category: 'validation' },
  PROVIDER_RATE_LIMITED: { status: 429, retryable: true, category: 'rate_limit' },
  PROVIDER_QUOTA_EXCEEDED: { status: 429, retryable: false, category: 'quota' },
  PROVIDER_UNAVAILABLE: { status: 502, retryable: true, category: 'provider' },
  PROVIDER_INVALID_RESPONSE: { status: 502, retryable: true, category: 'provider' },
  PROVIDER_TIMEOUT: { status: 504, retryable: true, category: 'timeout' },
  INTERNAL_ERROR: { status: 500, retryable: false, category: 'internal' },
};
