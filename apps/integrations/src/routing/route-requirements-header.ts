import type { FastifyRequest } from 'fastify';
import { GatewayError, isPlainObject } from '@app/common';
import type { ExecuteRequest } from '../execute/execute-request.js';

/** Where /v1 callers put `provider: "auto"` requirements: OpenAI's body has no room for them. */
export const ROUTE_REQUIREMENTS_HEADER = 'x-gateway-route-requirements';

/**
 * A /v1 request with `model: "auto"`: the gateway chooses the model, with the requirements the
 * caller sent as JSON in x-gateway-route-requirements; other requests are left as they are (the
 * header is refused without `auto`, as `requirements` is on /api/integrations/execute).
 */
export function routedRequest<Request extends ExecuteRequest>(request: Request, http: FastifyRequest): Request {
  const header = http.headers[ROUTE_REQUIREMENTS_HEADER];
  const requirements = header === undefined ? undefined : parseRequirements(Array.isArray(header) ? header[0] : header);
  if (request.provider !== 'auto') return requirements === undefined ? request : { ...request, requirements };
  const { model: _model, ...params } = request.params;
  return { ...request, params, ...(requirements !== undefined && { requirements }) };
}

function parseRequirements(value: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value ?? '');
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // refused below
  }
  throw GatewayError.validation([{ field: ROUTE_REQUIREMENTS_HEADER, message: 'must be a JSON object of routing requirements' }]);
}
