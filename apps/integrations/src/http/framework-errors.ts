import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, jsonDepthViolation } from '@app/common';
import { errorBody } from './envelope.js';
import { sendError } from './gateway-exception.filter.js';

/**
 * Answers that Fastify and Node's HTTP server give before a request reaches Nest (and so before the
 * exception filter): a bad URL, an over-long path segment, malformed or oversized headers, requests
 * during the shutdown drain. Each gets the one error body and an x-request-id, like every answer.
 */

/** Fastify's `frameworkErrors`: FST_ERR_BAD_URL (400) and FST_ERR_MAX_PARAM_LENGTH (414). */
export function frameworkErrors(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const failure =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new GatewayError('URI_TOO_LONG', 'A path segment of this URL is longer than the gateway accepts')
      : new GatewayError('MALFORMED_REQUEST', 'The URL is not valid (a malformed percent-encoding?)');
  sendError(reply, failure, request.id);
}

/** Node's `clientError`: the request could not even be parsed (bad headers, 431, timeouts); answered on the raw socket. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const failure =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new GatewayError('HEADERS_TOO_LARGE', 'The request headers are larger than the gateway accepts')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new GatewayError('REQUEST_TIMEOUT', 'The request was not received in time')
        : new GatewayError('MALFORMED_REQUEST', 'The request is not valid HTTP (a malformed header?)');
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(failure, requestId, 0));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${failure.status} ${STATUS_TEXT[failure.status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Deepest nesting of a JSON body the gateway takes: deeper bodies cannot be serialized safely upstream. */
export const MAX_JSON_DEPTH = 64;

/**
 * Hooks every route gets: requests arriving while the server drains for shutdown are refused with
 * 503 SHUTTING_DOWN (Fastify's own 503 has another body), and a JSON body nested deeper than
 * MAX_JSON_DEPTH is refused with 400 naming where, before any handler builds on it.
 */
export function installRequestGuards(fastify: FastifyInstance): void {
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done();
    void reply.header('connection', 'close');
    sendError(
      reply,
      new GatewayError('SHUTTING_DOWN', 'This instance is shutting down; retry and another will answer', { retryAfterMs: 1000 }),
      request.id,
    );
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    const body = request.body;
    if (body === null || typeof body !== 'object') return done();
    const violation = jsonDepthViolation(body, MAX_JSON_DEPTH);
    if (!violation) return done();
    sendError(reply, GatewayError.validation([violation]), request.id);
  });
}
