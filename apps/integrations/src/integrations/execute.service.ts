import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError, redactSecrets } from '@app/common';
import { CredentialResolver, type CredentialRequest, type ResolvedCredential } from '@app/credentials';
import { ExecutionLogWriter } from '@app/execution-log';
import { BudgetGuard, PricingTable, RateLimiter } from '@app/limits';
import type { NormalizedResponse } from '@app/normalization';
import { IntegrationSwitch } from '@app/ops-agent';
import { FallbackPlanner, ProviderExecutor, ProviderHealthTracker, ProviderRegistry, type PreparedCall, type ProviderAdapter } from '@app/providers';
import type { ExecuteRequestDto } from './dto/execute-request.dto.js';

/** What one provider attempt is logged with. */
interface Attempt {
  caller: Caller;
  provider: string;
  operation: string;
  requestId: string;
  startedAt: Date;
  startedAtMs: number;
  model: string | null;
  credential?: ResolvedCredential;
  response?: NormalizedResponse;
  error?: unknown;
}

/**
 * One execute call end to end: pick the adapter, validate, admit it past the rate limits, fetch the
 * caller's key (after the rate limits and spend caps), call the upstream (retries and circuit breaking live in the executor), fall back to
 * other providers when a configured rule says so, and log every provider attempt.
 */
@Injectable()
export class ExecuteService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialResolver,
    private readonly executor: ProviderExecutor,
    private readonly executionLog: ExecutionLogWriter,
    private readonly providerHealth: ProviderHealthTracker,
    private readonly integration: IntegrationSwitch,
    private readonly rateLimiter: RateLimiter,
    private readonly fallbacks: FallbackPlanner,
    private readonly budget: BudgetGuard,
    private readonly pricing: PricingTable,
  ) {}

  async execute(caller: Caller, request: ExecuteRequestDto, requestId: string): Promise<NormalizedResponse> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    let adapter: ProviderAdapter;
    let call: PreparedCall;
    try {
      // Fail closed: an operator who disabled the agent in Opstage has stopped all upstream calls.
      this.integration.assertEnabled();
      adapter = this.registry.get(request.provider);
      call = adapter.validate(request.operation, request.params);
      const subject = { userId: caller.userId, orgId: caller.orgId };
      await this.rateLimiter.admit(subject);
      await this.budget.admit(subject);
    } catch (error) {
      this.record({ caller, provider: request.provider, operation: request.operation, requestId, startedAt, startedAtMs, model: null, error });
      throw error;
    }
    try {
      return await this.attempt(caller, adapter, call, requestId, startedAt, startedAtMs);
    } catch (error) {
      for (const step of this.fallbacks.plan(adapter.name, error, request.operation, request.params)) {
        try {
          const response = await this.attempt(caller, step.adapter, step.call, requestId, new Date(), performance.now());
          response.metadata.fallbackFrom = adapter.name;
          response.metadata.fallbackReason = (error as GatewayError).code;
          return response;
        } catch {
          // The next target, if any; the caller gets the original failure if all fail.
        }
      }
      throw error;
    }
  }

  /** One provider: credential, upstream call, health and token accounting, one log row. */
  private async attempt(
    caller: Caller,
    adapter: ProviderAdapter,
    call: PreparedCall,
    requestId: string,
    startedAt: Date,
    startedAtMs: number,
  ): Promise<NormalizedResponse> {
    const attempt: Attempt = { caller, provider: adapter.name, operation: call.operation, requestId, startedAt, startedAtMs, model: call.model };
    const credentialRequest: CredentialRequest = { userId: caller.userId, orgId: caller.orgId, provider: adapter.name, bearerToken: caller.bearerToken };
    try {
      // Keyless endpoints (e.g. a local Ollama) need no credential lookup at all.
      attempt.credential = adapter.requiresCredential ? await this.credentials.resolve(credentialRequest) : undefined;
      const response = await this.executor.execute(adapter, call, attempt.credential?.apiKey, requestId);
      attempt.response = response;
      attempt.model = response.model;
      const subject = { userId: caller.userId, orgId: caller.orgId };
      const costUsd = this.pricing.costOf(response.model, response.usage);
      response.metadata.estimatedCostUsd = costUsd;
      void this.rateLimiter.recordTokens(subject, response.usage.totalTokens);
      void this.budget.recordSpend(subject, costUsd);
      this.providerHealth.recordSuccess(adapter.name, new Date());
      return response;
    } catch (error) {
      attempt.error = error;
      if (error instanceof GatewayError && error.provider && error.code.startsWith('PROVIDER_')) {
        // Only failures from talking to the upstream say anything about its health.
        this.providerHealth.recordFailure(error.provider, error.code, new Date());
        // A rejected key may have been rotated at its source: fetch it afresh next time.
        if (error.code === 'PROVIDER_AUTH_FAILED') this.credentials.invalidate(credentialRequest);
      }
      throw error;
    } finally {
      this.record(attempt);
    }
  }

  private record({ caller, provider, operation, requestId, startedAt, startedAtMs, model, credential, response, error }: Attempt): void {
    const failure = error instanceof GatewayError ? error : undefined;
    this.executionLog.record({
      requestId,
      userId: caller.userId,
      orgId: caller.orgId ?? null,
      provider,
      operation,
      model,
      durationMs: Math.round(performance.now() - startedAtMs),
      promptTokens: response?.usage.promptTokens ?? null,
      completionTokens: response?.usage.completionTokens ?? null,
      totalTokens: response?.usage.totalTokens ?? null,
      success: response !== undefined,
      errorCode: response ? null : (failure?.code ?? 'INTERNAL_ERROR'),
      // GatewayError messages are already redacted; never store an unexpected error's raw text.
      errorMessage: response ? null : failure ? redactSecrets(failure.message, credential ? [credential.apiKey] : []) : 'Internal error',
      credentialSource: credential?.source ?? null,
      credentialId: credential?.credentialId ?? null,
      isProxy: credential?.isProxy ?? false,
      createdAt: startedAt,
    });
  }
}
