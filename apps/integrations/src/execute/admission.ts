import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { BudgetGuard, RateLimiter } from '@app/limits';
import { IntegrationSwitch, ProviderRegistry, type PreparedCall, type ProviderAdapter } from '@app/providers';
import type { ExecuteRequest } from './execute-request.js';

/**
 * What every call passes before anything is sent: the control plane's switch, a known provider and
 * operation, valid params, and the caller's rate limits and spend caps. A refusal is the caller's
 * 4xx (or the switch's 503), never a provider error.
 */
@Injectable()
export class Admission {
  constructor(
    private readonly integration: IntegrationSwitch,
    private readonly registry: ProviderRegistry,
    private readonly rateLimiter: RateLimiter,
    private readonly budget: BudgetGuard,
  ) {}

  async admit(caller: Caller, request: ExecuteRequest): Promise<{ adapter: ProviderAdapter; call: PreparedCall }> {
    // Fail closed: an operator who disabled the agent in Opstage has stopped all upstream calls.
    this.integration.assertEnabled();
    const adapter = this.registry.get(request.provider);
    const call = adapter.validate(request.operation, request.params);
    const subject = { userId: caller.userId, orgId: caller.orgId };
    await this.rateLimiter.admit(subject);
    await this.budget.admit(subject);
    return { adapter, call };
  }
}
