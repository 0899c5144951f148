import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Tracing } from '../apps/integrations/src/tracing/tracing.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl } from './support/loopback-server.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, startTestApp, uniqueId, type TestApp } from './support/test-app.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** An OTLP/HTTP collector on 127.0.0.1 that keeps what it is sent (JSON, as the exporter sends it). */
class FakeCollector {
  readonly bodies: string[] = [];
  private readonly server: Server = createBufferingServer((req, res, body) => {
    if (req.url === '/v1/traces') this.bodies.push(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });

  static async start(): Promise<FakeCollector> {
    const collector = new FakeCollector();
    await listenOnLoopback(collector.server);
    return collector;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  spans(): OtlpSpan[] {
    return this.bodies.flatMap((body) =>
      (JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans.flatMap((resource) =>
        resource.scopeSpans.flatMap((scope) => scope.spans),
      ),
    );
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value === undefined ? undefined : (value.stringValue ?? value.intValue ?? value.boolValue ?? value.arrayValue);
}

describe('OpenTelemetry traces', () => {
  let collector: FakeCollector;
  let upstream: FakeUpstream;
  let gateway: TestApp;
  const KEY = 'sk-proj-tracingServiceKey012345';

  beforeAll(async () => {
    collector = await FakeCollector.start();
    upstream = await FakeUpstream.start();
    upstream.reply(openAiChatCompletion());
    gateway = await startTestApp({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await collector.stop();
  });

  it('continues the caller’s trace: a call span, an attempt span beneath it, GenAI attributes, the provider called with it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpanId = '00f067aa0ba902b7';
    const secretContent = `a private question ${uniqueId('q')}`;
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .set('traceparent', `00-${traceId}-${parentSpanId}-01`)
      .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: secretContent }] } })
      .expect(200);
    await gateway.app.get(Tracing).flush();

    const spans = collector.spans().filter((span) => span.traceId === traceId);
    const call = spans.find((span) => span.parentSpanId === parentSpanId);
    const attempt = spans.find((span) => span.parentSpanId === call?.spanId);
    expect(call).toBeDefined();
    expect(attempt).toBeDefined();
    expect(attribute(call!, 'gen_ai.operation.name')).toBe('chat.completions');
    expect(attribute(call!, 'gen_ai.response.model')).toBe('gpt-4o-mini-2024-07-18');
    expect(attribute(attempt!, 'gen_ai.provider.name')).toBe('openai');
    expect(Number(attribute(attempt!, 'gen_ai.usage.input_tokens'))).toBe(19);
    expect(Number(attribute(attempt!, 'gen_ai.usage.output_tokens'))).toBe(10);
    expect(upstream.lastRequest().headers.traceparent).toMatch(new RegExp(`^00-${traceId}-${call!.spanId}-01$`));
    const exported = collector.bodies.join('\n');
    expect(exported).not.toContain(secretContent);
    expect(exported).not.toContain(KEY);
  });

  it('records a failed call’s error type on both spans', async () => {
    const before = collector.spans().length;
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(uniqueId('user')))
      .send({ provider: 'openai', operation: 'chat.completions', params: { messages: [] } })
      .expect(400);
    await gateway.app.get(Tracing).flush();
    const spans = collector.spans().slice(before);
    expect(spans.map((span) => attribute(span, 'error.type'))).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED']);
  });
});
