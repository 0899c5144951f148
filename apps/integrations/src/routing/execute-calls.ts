import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import type { NormalizedResponse } from '@app/normalization';
import type { HangUp } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import { ExecuteService, type CallOptions, type StreamSession } from '../execute/execute.service.js';
import { ProviderProfiles } from '../platform/provider-profiles.js';
import { AUTO_PROVIDER, AutoRouter } from './auto-router.js';

/**
 * An execute request as the HTTP routes take it (single or batched) to the execute pipeline: the
 * Catalog's default model when it names none, and `provider: "auto"` routed to the cheapest
 * capable provider (the route in `metadata.routing` of whole answers).
 */
@Injectable()
export class ExecuteCalls {
  constructor(
    private readonly executeService: ExecuteService,
    private readonly profiles: ProviderProfiles,
    private readonly router: AutoRouter,
  ) {}

  async whole(
    caller: Caller,
    request: ExecuteRequest,
    requestId: string,
    hangUp: HangUp,
    options: CallOptions,
  ): Promise<NormalizedResponse> {
    if (request.provider !== AUTO_PROVIDER) {
      return this.executeService.execute(caller, this.direct(request), requestId, hangUp, options);
    }
    const { result, routing } = await this.router.run(caller, request, (routed) =>
      this.executeService.execute(caller, routed, requestId, hangUp, options),
    );
    result.metadata.routing = routing;
    return result;
  }

  async stream(caller: Caller, request: ExecuteRequest, requestId: string, hangUp: HangUp, options: CallOptions): Promise<StreamSession> {
    if (request.provider !== AUTO_PROVIDER) return this.executeService.stream(caller, this.direct(request), requestId, hangUp, options);
    const { result } = await this.router.run(caller, request, (routed) =>
      this.executeService.stream(caller, routed, requestId, hangUp, options),
    );
    return result;
  }

  private direct(request: ExecuteRequest): ExecuteRequest {
    if (request.requirements !== undefined) {
      throw GatewayError.validation([{ field: 'requirements', message: `only applies with provider "${AUTO_PROVIDER}"` }]);
    }
    return this.profiles.withCatalogDefaultModel(request);
  }
}
