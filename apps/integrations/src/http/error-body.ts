import type { ErrorCode, FieldViolation } from '@app/common';

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
    /** Every offending field, for validation errors. */
    details?: FieldViolation[];
    retryAfterMs?: number;
    metadata?: Record<string, unknown>;
  };
}
