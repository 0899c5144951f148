import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import type { NormalizedResponse } from '@app/normalization';
import type { HangUp } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import { ExecuteService, type CallOptions, type StreamSession } from '../execute/execute.service.js';
import { ProviderProfiles } from '../platform/provider-profiles.js';
import { Tracing, type CallTrace } from '../tracing/tracing.js';
import { AUTO_PROVIDER, AutoRouter } from './auto-router.js';

/**
 * An execute request as every HTTP route takes it (single, batched, /v1) to the execute pipeline:
 * the call's span when tracing is on, the Catalog's default model when it names none, and
 * `provider: "auto"` routed to the cheapest capable provider (the route in `metadata.routing` of
 * whole answers).
 */
@Injectable()
export class ExecuteCalls {
  constructor(
    private readonly executeService: ExecuteService,
    private readonly profiles: ProviderProfiles,
    private readonly router: AutoRouter,
    private readonly tracing: Tracing,
  ) {}

  async whole(
    caller: Caller,
    request: ExecuteRequest,
    requestId: string,
    hangUp: HangUp,
    options: CallOptions,
  ): Promise<NormalizedResponse> {
    const trace = this.startTrace(request, requestId, options);
    try {
      const result = await this.answer(caller, request, requestId, hangUp, trace ? { ...options, trace } : options);
      this.tracing.endCall(trace, { model: result.model, fallbackFrom: result.metadata.fallbackFrom });
      return result;
    } catch (error) {
      this.tracing.endCall(trace, undefined, error);
      throw error;
    }
  }

  async stream(caller: Caller, request: ExecuteRequest, requestId: string, hangUp: HangUp, options: CallOptions): Promise<StreamSession> {
    const trace = this.startTrace(request, requestId, options);
    let session: StreamSession;
    try {
      session = await this.openStream(caller, request, requestId, hangUp, trace ? { ...options, trace } : options);
    } catch (error) {
      this.tracing.endCall(trace, undefined, error);
      throw error;
    }
    if (!trace) return session;
    return {
      pump: async (sink) => {
        try {
          await session.pump(sink);
        } finally {
          this.tracing.endCall(trace);
        }
      },
    };
  }

  private async answer(caller: Caller, request: ExecuteRequest, requestId: string, hangUp: HangUp, options: CallOptions) {
    if (request.provider !== AUTO_PROVIDER) {
      return this.executeService.execute(caller, this.direct(request), requestId, hangUp, options);
    }
    const { result, routing } = await this.router.run(caller, request, (routed) =>
      this.executeService.execute(caller, routed, requestId, hangUp, options),
    );
    result.metadata.routing = routing;
    return result;
  }

  private async openStream(caller: Caller, request: ExecuteRequest, requestId: string, hangUp: HangUp, options: CallOptions) {
    if (request.provider !== AUTO_PROVIDER) return this.executeService.stream(caller, this.direct(request), requestId, hangUp, options);
    const { result } = await this.router.run(caller, request, (routed) =>
      this.executeService.stream(caller, routed, requestId, hangUp, options),
    );
    return result;
  }

  private startTrace(request: ExecuteRequest, requestId: string, options: CallOptions): CallTrace | undefined {
    if (!this.tracing.enabled) return undefined;
    const model = request.params.model;
    return this.tracing.startCall({
      traceparent: options.traceparent,
      provider: request.provider,
      operation: request.operation,
      model: typeof model === 'string' ? model : undefined,
      requestId,
    });
  }

  private direct(request: ExecuteRequest): ExecuteRequest {
    if (request.requirements !== undefined) {
      throw GatewayError.validation([{ field: 'requirements', message: `only applies with provider "${AUTO_PROVIDER}"` }]);
    }
    return this.profiles.withCatalogDefaultModel(request);
  }
}
