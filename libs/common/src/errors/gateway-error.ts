import { ERROR_CODE_TRAITS, type ErrorCategory, type ErrorCode } from './error-code.js';

/** One offending input field, e.g. `{ field: 'params.messages.0.role', message: '…' }`. */
export interface FieldViolation {
  field: string;
  message: string;
}

export interface GatewayErrorOptions {
  provider?: string;
  /** Field-level detail for validation failures. */
  violations?: FieldViolation[];
  /** How long the upstream asked us to wait before retrying, when it said so. */
  retryAfterMs?: number;
  /** Status the upstream answered with; kept for logs and metadata, never used as our status. */
  upstreamStatus?: number;
  /** The provider's own error code, when it gave a plain identifier. */
  upstreamCode?: string;
  /** Extra facts for the caller (rendered as `error.metadata`); never secrets. */
  metadata?: Record<string, unknown>;
  /** Overrides the code's default HTTP status (e.g. 503 instead of 502 for PROVIDER_UNAVAILABLE). */
  status?: number;
  cause?: unknown;
}

/**
 * The only error type that crosses module boundaries. Its message is shown to callers as is, so it
 * must never contain a secret or internal detail: build it from redacted text.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly provider?: string;
  readonly violations?: FieldViolation[];
  readonly retryAfterMs?: number;
  readonly upstreamStatus?: number;
  readonly upstreamCode?: string;
  readonly metadata?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CODE_TRAITS[code].status;
    this.retryable = ERROR_CODE_TRAITS[code].retryable;
    this.provider = options.provider;
    this.violations = options.violations;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
    this.metadata = options.metadata;
  }

  get category(): ErrorCategory {
    return ERROR_CODE_TRAITS[this.code].category;
  }

  static validation(violations: FieldViolation[]): GatewayError {
    const first = violations[0];
    const message = first ? `${first.field}: ${first.message}` : 'Request validation failed';
    return new GatewayError('VALIDATION_FAILED', message, { violations });
  }
}
