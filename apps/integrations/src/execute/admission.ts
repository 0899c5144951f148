import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { ModelCatalog } from '@app/catalog';
import { GatewayError } from '@app/common';
import { CallLimits } from '@app/limits';
import { estimatePromptTokens } from '@app/normalization';
import { IntegrationSwitch, ProviderRegistry, type PreparedCall, type ProviderAdapter } from '@app/providers';
import type { ExecuteRequest } from './execute-request.js';

/**
 * What every call passes before anything is sent: the control plane's switch, a known provider and
 * operation, valid params (`check`), and the caller's rate limits and spend caps (`limit`). A
 * refusal is the caller's 4xx (or the switch's 503), never a provider error.
 */
@Injectable()
export class Admission {
  constructor(
    private readonly integration: IntegrationSwitch,
    private readonly registry: ProviderRegistry,
    private readonly limits: CallLimits,
    private readonly catalog: ModelCatalog,
  ) {}

  /** The request as its provider's call, or the refusal; checked on this turn, before the limits are asked. */
  check(request: ExecuteRequest): { adapter: ProviderAdapter; call: PreparedCall } {
    // Fail closed: an operator who disabled the agent in Opstage has stopped all upstream calls.
    this.integration.assertEnabled();
    const adapter = this.registry.get(request.provider);
    const call = adapter.validate(request.operation, request.params);
    this.assertFitsContext(adapter, call);
    return { adapter, call };
  }

  /** Settles once the caller's limits admit the call (at once from a lease; else Redis answers), or rejects with the refusal. */
  limit(caller: Caller): Promise<void> {
    return this.limits.admit({ userId: caller.userId, orgId: caller.orgId });
  }

  /**
   * A prompt plus answer the model cannot hold is refused here, before a token is paid for: the
   * estimate is rough (about four characters a token), so only calls that clearly cannot fit are.
   */
  private assertFitsContext(adapter: ProviderAdapter, call: PreparedCall): void {
    if (call.operation === 'embeddings') return;
    const contextWindow = this.catalog.find(adapter.name, call.model)?.contextWindow;
    if (contextWindow === undefined) return;
    const params = call.params as Record<string, unknown>;
    const maxTokens = typeof params.maxTokens === 'number' ? params.maxTokens : 0;
    const promptTokens = estimatePromptTokens(params);
    if (promptTokens + maxTokens <= contextWindow) return;
    throw new GatewayError(
      'CONTEXT_LENGTH_EXCEEDED',
      `About ${promptTokens} prompt tokens plus maxTokens ${maxTokens} do not fit ${call.model}'s context window of ${contextWindow} tokens`,
      { provider: adapter.name, metadata: { contextWindow, estimatedPromptTokens: promptTokens, maxTokens } },
    );
  }
}
