import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller-supplied id is kept only if it is short and plain, so it is safe in logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify `genReqId`: the caller's x-request-id when acceptable, else a fresh UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const supplied = request.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(supplied) ? supplied[0] : supplied;
  return candidate !== undefined && ACCEPTABLE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}
