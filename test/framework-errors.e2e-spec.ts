import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from './support/fake-opstage.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { rawRequest, type RawResponse } from './support/raw-http.js';
import { authAs, chatBody, startTestApp, type TestApp } from './support/test-app.js';

/** The one error shape, with the request id in both the header and the body. */
function expectErrorShape(
  response: { status: number; headers: Record<string, unknown>; body: unknown },
  status: number,
  code: string,
): void {
  expect(response.status).toBe(status);
  const body = (typeof response.body === 'string' ? JSON.parse(response.body) : response.body) as Record<string, unknown>;
  expect(body).toMatchObject({ success: false, code, error: expect.any(String), retryable: expect.any(Boolean) });
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  expect(body.requestId).toBe(response.headers['x-request-id']);
}

function first(responses: RawResponse[]): RawResponse {
  expect(responses.length).toBeGreaterThanOrEqual(1);
  return responses[0];
}

describe('framework-level answers use the one error shape', () => {
  let gateway: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    gateway = await startTestApp({ MAX_REQUEST_BODY_BYTES: '4096' });
    baseUrl = await gateway.listen();
  });
  afterAll(() => gateway.close());

  it('a malformed percent-encoding is 400 MALFORMED_REQUEST (was Fastify FST_ERR_BAD_URL)', async () => {
    expectErrorShape(await request(gateway.server).get('/api/integrations/%zz'), 400, 'MALFORMED_REQUEST');
  });

  it('a path segment over 100 characters is 414 URI_TOO_LONG', async () => {
    expectErrorShape(await request(gateway.server).delete(`/api/integrations/credentials/${'a'.repeat(150)}`), 414, 'URI_TOO_LONG');
  });

  it('a known path with another method is 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const response = await request(gateway.server).get('/api/integrations/execute').set(authAs('user-405'));
    expectErrorShape(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('POST');
    expectErrorShape(await request(gateway.server).get('/api/integrations/nothing-here'), 404, 'NOT_FOUND');
  });

  it('a NUL in a header is 400 MALFORMED_REQUEST on the raw socket', async () => {
    const response = first(await rawRequest(baseUrl, 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n'));
    expectErrorShape(response, 400, 'MALFORMED_REQUEST');
  });

  it('both Content-Length and Transfer-Encoding is 400 MALFORMED_REQUEST', async () => {
    const response = first(
      await rawRequest(
        baseUrl,
        'POST /api/integrations/execute HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ),
    );
    expectErrorShape(response, 400, 'MALFORMED_REQUEST');
  });

  it('oversized headers are 431 HEADERS_TOO_LARGE', async () => {
    const response = first(await rawRequest(baseUrl, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expectErrorShape(response, 431, 'HEADERS_TOO_LARGE');
  });

  it('a body over the limit reaches Node’s HTTP client as 413, not a broken pipe', async () => {
    const { port } = new URL(baseUrl);
    const result = await new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/integrations/execute',
          headers: { 'content-type': 'application/json', 'content-length': String(256 * 64 * 1024), ...authAs('user-413') },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
      // Far past the limit, in pieces, as a client streaming a large upload does.
      const piece = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent < 256; sent++) outgoing.write(piece);
      outgoing.end();
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body!).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('the shutdown drain', () => {
  it('answers a request arriving while draining 503 SHUTTING_DOWN in the error shape, after the in-flight one finished', async () => {
    const upstream = await FakeUpstream.start();
    upstream.reply({ ...openAiChatCompletion(), delayMs: 300 });
    const gateway = await startTestApp({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-proj-drainTests0123456789' });
    try {
      const baseUrl = await gateway.listen();
      const body = JSON.stringify(chatBody);
      const token = authAs('user-drain').authorization;
      const execute = `POST /api/integrations/execute HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      let closing: Promise<void> | undefined;
      // A second request on the same keep-alive connection, sent once the drain has begun.
      const responses = await rawRequest(baseUrl, execute, {
        timeoutMs: 1500,
        between: async (write) => {
          await waitFor(() => upstream.received.length === 1, 3000, 'the first call to reach the upstream');
          closing = gateway.close();
          await waitFor(() => !gateway.app.getHttpServer().listening, 3000, 'the drain to begin');
          write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
        },
      });
      await closing;
      expect(responses.map((response) => response.status)).toEqual([200, 503]);
      expectErrorShape(responses[1], 503, 'SHUTTING_DOWN');
    } finally {
      await upstream.stop();
    }
  });
});

describe('the shutdown drain is bounded', () => {
  it('cuts a request that never finishes after SHUTDOWN_DRAIN_TIMEOUT_MS, so shutdown (and the log flush) goes on', async () => {
    const gateway = await startTestApp({ SHUTDOWN_DRAIN_TIMEOUT_MS: '300' });
    const baseUrl = await gateway.listen();
    // Headers promise a body that never comes: the request stays in flight for good.
    const stuck = rawRequest(
      baseUrl,
      'POST /api/integrations/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      { timeoutMs: 10_000 },
    );
    const server = gateway.app.getHttpServer();
    await waitFor(
      () => new Promise<boolean>((resolve) => server.getConnections((_error: unknown, count: number) => resolve(count > 0))),
      3000,
      'the stuck request to arrive',
    );
    const startedAt = Date.now();
    await gateway.close();
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await stuck;
  });
});
