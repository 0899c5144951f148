import { isPlainObject, type ErrorCategory, type ErrorCode, type FieldViolation, type GatewayError } from '@app/common';

/*
 * The gateway's answers outside /v1, in the envelope the platform's callers read: one builder for
 * successes and one for errors (the exception filter and the framework-level handlers use it).
 */

/** At most this many field violations are listed; `violationCount` says how many there were. */
export const MAX_LISTED_VIOLATIONS = 20;

/** What the gateway knows about an error, whichever wire shape it is rendered in. */
export interface ErrorFacts {
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
}

export function errorFacts(error: GatewayError, requestId: string): ErrorFacts {
  const violations = error.violations ?? [];
  return {
    code: error.code,
    message: error.message,
    requestId,
    retryable: error.retryable,
    ...(error.provider && { provider: error.provider }),
    ...(violations.length > 0 && { field: violations[0].field, details: violations.slice(0, MAX_LISTED_VIOLATIONS) }),
    ...(violations.length > MAX_LISTED_VIOLATIONS && { violationCount: violations.length }),
    ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
    ...(error.metadata && { metadata: error.metadata }),
  };
}

/** The call an error ended, when the request named one (execute). */
export interface CallContext {
  provider?: string;
  operation?: string;
}

/** The provider and operation an execute request body named (the caller's own words, bounded). */
export function callNamedIn(body: unknown): CallContext {
  if (!isPlainObject(body)) return {};
  return {
    ...(isName(body.provider) && { provider: body.provider }),
    ...(isName(body.operation) && { operation: body.operation }),
  };
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && /^[a-z0-9][a-z0-9._-]*$/.test(value);
}

/**
 * The gateway's own error shape, on every route but /v1: the platform callers' envelope
 * (`success: false`, `error` a human-readable string they can show or match) with the gateway's
 * stable `code`, a `category`, and the facts a program needs to react.
 */
export interface ErrorBody extends Omit<ErrorFacts, 'message'> {
  success: false;
  /** Human-readable: safe to show, never a secret. */
  error: string;
  category: ErrorCategory;
  operation?: string;
  /** What the upstream answered, when the failure came from one: its status and its own error code. */
  upstream?: { statusCode: number; code?: string };
  durationMs: number;
}

/** A successful execute call in the platform callers' envelope: `{success: true, data, requestId, durationMs}`. */
export interface SuccessBody<Data> {
  success: true;
  data: Data;
  requestId: string;
  durationMs: number;
}

export function successBody<Data>(data: Data, requestId: string, durationMs: number): SuccessBody<Data> {
  return { success: true, data, requestId, durationMs };
}

/** The one builder of the gateway's error bodies: the exception filter and the framework-level handlers all use it. */
export function errorBody(error: GatewayError, requestId: string, durationMs: number, call: CallContext = {}): ErrorBody {
  const { message, provider, ...facts } = errorFacts(error, requestId);
  const providerNamed = provider ?? call.provider;
  return {
    success: false,
    error: message,
    ...facts,
    category: error.category,
    ...(providerNamed !== undefined && { provider: providerNamed }),
    ...(call.operation !== undefined && { operation: call.operation }),
    ...(error.upstreamStatus !== undefined && {
      upstream: { statusCode: error.upstreamStatus, ...(error.upstreamCode !== undefined && { code: error.upstreamCode }) },
    }),
    requestId,
    durationMs,
  };
}
