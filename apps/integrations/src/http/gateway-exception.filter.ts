import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, redactSecrets, type ErrorCode } from '@app/common';
import type { ErrorBody } from './error-body.js';

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

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toGatewayError(exception, request);
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        requestId: request.id,
        retryable: error.retryable,
        ...(error.provider && { provider: error.provider }),
        ...(error.violations?.length && { field: error.violations[0]!.field, details: error.violations }),
        ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
        ...(error.metadata && { metadata: error.metadata }),
      },
    };
    if (error.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
    void reply.status(error.status).send(body);
  }

  private toGatewayError(exception: unknown, request: FastifyRequest): GatewayError {
    if (exception instanceof GatewayError) return exception;
    const status = httpStatusOf(exception);
    const code = status === undefined ? undefined : CODE_FOR_HTTP_STATUS[status];
    if (status !== undefined && code !== undefined) {
      return new GatewayError(code, frameworkMessage(exception, status, request), { status });
    }
    this.logger.error(
      `Unhandled error on ${request.method} ${request.url} (request ${request.id}): ${redactSecrets(describe(exception))}`,
    );
    return new GatewayError('INTERNAL_ERROR', 'An internal error occurred; quote the requestId when reporting it');
  }
}

/** HttpExceptions and Fastify errors (FST_ERR_CTP_*) both carry a status. */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function frameworkMessage(exception: unknown, status: number, request: FastifyRequest): string {
  if (status === 404) return `No route ${request.method} ${request.url.split('?')[0]}`;
  if (status === 413) return 'The request body is larger than this gateway accepts';
  // Fastify's own 400s come from its JSON body parser; Nest's HttpExceptions carry a message of their own.
  if (status === 400 && !(exception instanceof HttpException)) return 'The request body is not valid JSON';
  if (status === 415) return 'Send the request body as application/json';
  return exception instanceof Error ? exception.message : 'Request rejected';
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
