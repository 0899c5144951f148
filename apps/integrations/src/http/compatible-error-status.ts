import type { GatewayError } from '@app/common';

/**
 * The HTTP status an error gets on the SDK-compatible surfaces (/v1/…): the gateway's own status,
 * except that an upstream's "no such model" (404) stays a 404, so the SDKs raise their NotFoundError
 * instead of the 400 the gateway's own API answers with.
 */
export function compatibleErrorStatus(error: GatewayError): number {
  return error.code === 'PROVIDER_BAD_REQUEST' && error.upstreamStatus === 404 ? 404 : error.status;
}
