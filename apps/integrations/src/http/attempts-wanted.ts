import type { FastifyRequest } from 'fastify';
import { GatewayError } from '@app/common';
import type { CallOptions } from '../execute/execute.service.js';

export const MAX_ATTEMPTS_HEADER = 'x-gateway-max-attempts';

/**
 * Whose retries: the gateway retries retryable upstream failures up to RETRY_MAX_ATTEMPTS, but a
 * client that retries the gateway's answer itself would multiply them (an SDK with maxRetries: 1 on
 * top of 3 gateway attempts made 6 upstream calls). So:
 * - `x-gateway-max-attempts: N` (1 up to RETRY_MAX_ATTEMPTS) sets the attempts for this call;
 * - else a request from the OpenAI or Anthropic SDK (they send `x-stainless-retry-count` and retry
 *   on their own) gets one attempt: the SDK's retries are the retries;
 * - else the configured retries apply.
 */
export function attemptsWanted(request: FastifyRequest): CallOptions {
  const asked = request.headers[MAX_ATTEMPTS_HEADER];
  if (asked !== undefined) {
    const value = Array.isArray(asked) ? asked[0] : asked;
    if (value === undefined || !/^[1-9]\d?$/.test(value)) {
      throw GatewayError.validation([{ field: MAX_ATTEMPTS_HEADER, message: 'must be a whole number of attempts from 1' }]);
    }
    return { maxAttempts: Number(value) };
  }
  return request.headers['x-stainless-retry-count'] !== undefined ? { maxAttempts: 1 } : {};
}
