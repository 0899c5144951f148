import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { GatewayError, readServiceVersion } from '@app/common';
import { tracingConfig, type TracingConfig } from '@app/config';

/** The random numbers sampling decisions are made with (Math.random; a test's own). */
export const SAMPLING_RANDOM = Symbol('SAMPLING_RANDOM');

/** One execute call's trace: its span, and what carries it to the provider and into the log lines. */
export interface CallTrace {
  readonly span: Span;
  readonly context: Context;
  /** The W3C traceparent of the call's span, sent to the provider. */
  readonly traceparent: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
}

/** What an execute span starts with (no message content, never a key). */
export interface CallSpanStart {
  traceparent?: string;
  provider: string;
  operation: string;
  model?: string;
  requestId: string;
}

/**
 * OpenTelemetry traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set: a span per execute
 * call (continuing the caller's W3C traceparent) and one per provider attempt beneath it, with the
 * GenAI semantic conventions. Off, it is one boolean check per call.
 */
@Injectable()
export class Tracing implements OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly provider?: BasicTracerProvider;
  private readonly tracer?: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly sampling: TracingConfig['sampler'];
  private readonly ratio: number;

  constructor(
    @Inject(tracingConfig.token) config: TracingConfig,
    @Optional() @Inject(SAMPLING_RANDOM) private readonly random: () => number = Math.random,
  ) {
    this.enabled = config.endpoint !== undefined;
    this.sampling = config.sampler;
    this.ratio = config.samplerArg;
    if (!this.enabled) return;
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': readServiceVersion().version }),
      sampler: samplerOf(config),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces` }))],
    });
    this.tracer = this.provider.getTracer('integrations-service');
  }

  /** The execute call's span, or undefined when tracing is off or the sampler drops this call. */
  startCall(start: CallSpanStart): CallTrace | undefined {
    if (!this.tracer || this.dropped(start.traceparent !== undefined)) return undefined;
    const parent = start.traceparent
      ? this.propagator.extract(ROOT_CONTEXT, { traceparent: start.traceparent }, defaultTextMapGetter)
      : ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `${start.operation} ${start.model ?? start.provider}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'gen_ai.operation.name': start.operation,
          'gen_ai.system': start.provider,
          'gen_ai.provider.name': start.provider,
          ...(start.model && { 'gen_ai.request.model': start.model }),
          'gateway.request_id': start.requestId,
        },
      },
      parent,
    );
    const context = trace.setSpan(parent, span);
    const carrier: Record<string, string> = {};
    this.propagator.inject(context, carrier, defaultTextMapSetter);
    const { traceId, spanId } = span.spanContext();
    return { span, context, traceparent: carrier.traceparent, traceId, spanId };
  }

  /** A finished provider attempt, as a child span from `startedAt` to now. */
  attemptSpan(call: CallTrace, attempt: AttemptFacts): void {
    if (!this.tracer) return;
    const span = this.tracer.startSpan(
      `${attempt.operation} ${attempt.model ?? attempt.provider}`,
      {
        kind: SpanKind.CLIENT,
        startTime: attempt.startedAt,
        attributes: {
          'gen_ai.operation.name': attempt.operation,
          'gen_ai.system': attempt.provider,
          'gen_ai.provider.name': attempt.provider,
          ...(attempt.model && { 'gen_ai.response.model': attempt.model }),
          ...(attempt.usage && {
            'gen_ai.usage.input_tokens': attempt.usage.promptTokens,
            'gen_ai.usage.output_tokens': attempt.usage.completionTokens,
          }),
          ...(attempt.finishReason && { 'gen_ai.response.finish_reasons': [attempt.finishReason] }),
          ...(attempt.upstreamAttempts !== undefined && { 'gateway.upstream_attempts': attempt.upstreamAttempts }),
          'gateway.cache_hit': attempt.cached,
          ...(attempt.errorCode && { 'error.type': attempt.errorCode }),
        },
      },
      call.context,
    );
    if (attempt.errorCode) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.errorCode });
    span.end();
  }

  /** Ends the call's span, with the error that ended the call, if one did. */
  endCall(call: CallTrace | undefined, answer?: { model?: string; fallbackFrom?: unknown }, error?: unknown): void {
    if (!call) return;
    if (answer?.model) call.span.setAttribute('gen_ai.response.model', answer.model);
    if (typeof answer?.fallbackFrom === 'string') call.span.setAttribute('gateway.fallback_from', answer.fallbackFrom);
    if (error !== undefined) {
      const type = error instanceof GatewayError ? error.code : 'INTERNAL_ERROR';
      call.span.setAttribute('error.type', type);
      call.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    call.span.end();
  }

  /**
   * The sampler's decision for calls it can make without a span: building spans that are then not
   * recorded is most of tracing's cost at low ratios. Calls with a parent follow the parent's flag
   * (the parent-based samplers, in the SDK); a dropped call sends no traceparent upstream.
   */
  private dropped(hasParent: boolean): boolean {
    switch (this.sampling) {
      case 'always_off':
        return true;
      case 'traceidratio':
        return this.random() >= this.ratio;
      case 'parentbased_always_off':
        return !hasParent;
      case 'parentbased_traceidratio':
        return !hasParent && this.random() >= this.ratio;
      default:
        return false;
    }
  }

  /** Sends the spans finished so far (tests, shutdown). */
  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  async onApplicationShutdown(): Promise<void> {
    // A collector that is gone at shutdown costs the last spans, never a failed shutdown.
    await this.provider?.shutdown().catch(() => undefined);
  }
}

/** What a provider attempt tells its span. */
export interface AttemptFacts {
  provider: string;
  operation: string;
  model: string | null;
  startedAt: Date;
  usage?: { promptTokens: number; completionTokens: number };
  finishReason?: string;
  upstreamAttempts?: number;
  cached: boolean;
  errorCode?: string;
}

/** The SDK's sampler for the calls `dropped` let through (the ratio is decided there, once). */
function samplerOf(config: TracingConfig): Sampler {
  switch (config.sampler) {
    case 'always_on':
    case 'traceidratio':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
