import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, redactSecrets, type ErrorCode } from '@app/common';
import { callNamedIn, errorBody } from './envelope.js';
import { anthropicErrorBody } from './anthropic-error.js';
import { compatibleErrorStatus } from './compatible-error-status.js';
import { openAiErrorBody } from './openai-error.js';
import type { RouteTable } from './route-table.js';

/** Nest/Fastify HTTP statuses that can reach the filter without a GatewayError, in our vocabulary. */
const CODE_FOR_HTTP_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'MALFORMED_REQUEST',
};

/**
 * The one place errors become HTTP responses. GatewayErrors render as they are; framework errors
 * (unknown route, unparsable JSON, body too large) get a stable code; anything else is a 500 that
 * says nothing about internals and is logged here with its stack.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GatewayExceptionFilter');

  constructor(private readonly routes?: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toGatewayError(exception, request, reply);
    if (error.code === 'PAYLOAD_TOO_LARGE') discardBody(request, reply);
    sendError(reply, error, request.id);
  }

  private toGatewayError(exception: unknown, request: FastifyRequest, reply: FastifyReply): GatewayError {
    if (exception instanceof GatewayError) return exception;
    const path = request.url.split('?')[0];
    if (isDatabaseUnreachable(exception)) {
      this.logger.warn(`${request.method} ${path} (request ${request.id}) needs the database, which is unreachable`);
      return new GatewayError('DATABASE_UNAVAILABLE', 'The database is unreachable; this route needs it. Retry shortly.', {
        retryAfterMs: 5000,
      });
    }
    const status = httpStatusOf(exception);
    if (status === 404) {
      // Fastify answers an unknown method on a known path as 404; the path exists, so say so.
      const allowed = this.routes?.methodsFor(path) ?? [];
      if (allowed.length > 0) {
        void reply.header('allow', allowed.join(', '));
        return new GatewayError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`);
      }
    }
    const code = status === undefined ? undefined : CODE_FOR_HTTP_STATUS[status];
    if (status !== undefined && code !== undefined) {
      return new GatewayError(code, frameworkMessage(exception, status, `${request.method} ${path}`), { status });
    }
    this.logger.error(`Unhandled error on ${request.method} ${request.url} (request ${request.id}): ${redactSecrets(describe(exception))}`);
    return new GatewayError('INTERNAL_ERROR', 'An internal error occurred; quote the requestId when reporting it');
  }
}

/**
 * Renders `error` with its Retry-After and the request id: in the gateway's own shape, or as OpenAI
 * (/v1) or Anthropic (/v1/messages) would, so each surface's SDKs understand it.
 */
export function sendError(reply: FastifyReply, error: GatewayError, requestId: string): void {
  void reply.header('x-request-id', requestId);
  if (error.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  const url = reply.request.url;
  if (url.startsWith('/v1/messages')) {
    void reply.status(compatibleErrorStatus(error)).send(anthropicErrorBody(error, requestId));
    return;
  }
  if (url.startsWith('/v1/')) {
    const status = compatibleErrorStatus(error);
    void reply.status(status).send(openAiErrorBody(error, requestId, status));
    return;
  }
  const call = reply.request.url.startsWith('/api/integrations/execute') ? callNamedIn(reply.request.body) : {};
  void reply.status(error.status).send(errorBody(error, requestId, Math.round(reply.elapsedTime), call));
}

/** Bodies larger than this past the limit are not read to the end: the connection is cut instead. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * A body refused for its size is still on its way: read and drop it (up to a bound) and close the
 * connection after the answer, so a client still sending sees the 413 instead of a broken pipe.
 */
function discardBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  void reply.header('connection', 'close');
  if (raw.readableEnded || raw.destroyed) return;
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) raw.destroy();
  });
  raw.on('error', () => undefined);
  raw.resume();
}

/**
 * The database driver's ways of saying it cannot reach the server (refused, reset, terminated,
 * pool timeouts, PostgreSQL's shutdown and connection-exception SQLSTATEs 57P0x and 08xxx).
 */
export function isDatabaseUnreachable(exception: unknown): boolean {
  let current: unknown = exception;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (DATABASE_CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
    if (typeof message === 'string' && DATABASE_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

const DATABASE_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const DATABASE_CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  /Driver not Connected/i,
  /Client was closed and is not queryable/i,
];

/** HttpExceptions and Fastify errors (FST_ERR_CTP_*) both carry a status. */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function frameworkMessage(exception: unknown, status: number, route: string): string {
  if (status === 404) return `No route ${route}`;
  if (status === 413) return 'The request body is larger than this gateway accepts';
  // Fastify's own 400s come from its JSON body parser; Nest's HttpExceptions carry a message of their own.
  if (status === 400 && !(exception instanceof HttpException)) return 'The request body is not valid JSON';
  if (status === 415) return 'Send the request body as application/json';
  return exception instanceof Error ? exception.message : 'Request rejected';
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
