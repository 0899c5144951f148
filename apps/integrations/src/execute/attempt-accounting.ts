import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError } from '@app/common';
import { CredentialResolver } from '@app/credentials';
import { CallLimits, PricingTable } from '@app/limits';
import type { NormalizedUsage } from '@app/normalization';
import { ProviderHealthTracker } from '@app/providers';

/**
 * What an attempt's end means beyond its own answer: a success adds its tokens to the caller's rate
 * limits and its cost to their budgets, and marks the provider healthy; a provider-side failure marks
 * it failing, and a rejected key is dropped so the next call fetches it afresh.
 */
@Injectable()
export class AttemptAccounting {
  constructor(
    private readonly limits: CallLimits,
    private readonly pricing: PricingTable,
    private readonly providerHealth: ProviderHealthTracker,
    private readonly credentials: CredentialResolver,
  ) {}

  /** Returns the estimated cost (null for unpriced models). Token and spend counting runs in the background. */
  succeeded(caller: Caller, provider: string, model: string, usage: NormalizedUsage): number | null {
    const subject = { userId: caller.userId, orgId: caller.orgId };
    const costUsd = this.pricing.costOf(model, usage);
    this.limits.record(subject, usage.totalTokens, costUsd);
    this.providerHealth.recordSuccess(provider, new Date());
    return costUsd;
  }

  /** Resolves once every count started so far is written (the counters never reject: they fail open). */
  settled(): Promise<void> {
    return this.limits.flush();
  }

  failed(caller: Caller, error: unknown): void {
    // Only failures from talking to the upstream say anything about its health.
    if (!(error instanceof GatewayError) || !error.provider || !error.code.startsWith('PROVIDER_')) return;
    this.providerHealth.recordFailure(error.provider, error.code, new Date());
    // A rejected key may have been rotated at its source: fetch it afresh next time.
    if (error.code === 'PROVIDER_AUTH_FAILED') {
      this.credentials.invalidate({
        userId: caller.userId,
        orgId: caller.orgId,
        provider: error.provider,
        bearerToken: caller.bearerToken,
      });
    }
  }
}
