import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError, redactSecrets } from '@app/common';
import { CredentialResolver, type CredentialRequest, type ResolvedCredential } from '@app/credentials';
import { ExecutionLogWriter } from '@app/execution-log';
import { RateLimiter } from '@app/limits';
import { IntegrationSwitch } from '@app/ops-agent';
import type { NormalizedResponse } from '@app/normalization';
import { ProviderExecutor, ProviderHealthTracker, ProviderRegistry, type PreparedCall } from '@app/providers';
import type { ExecuteRequestDto } from './dto/execute-request.dto.js';

/** Everything known about one call by the time it is logged. */
interface CallOutcome {
  caller: Caller;
  request: ExecuteRequestDto;
  requestId: string;
  startedAt: Date;
  startedAtMs: number;
  model: string | null;
  credential?: ResolvedCredential;
  response?: NormalizedResponse;
  error?: unknown;
}

/**
 * One execute call end to end: pick the adapter, validate, fetch the caller's key, call the upstream,
 * and record the outcome (execution log + provider health) whether it succeeded or not.
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
  ) {}

  async execute(caller: Caller, request: ExecuteRequestDto, requestId: string): Promise<NormalizedResponse> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    const outcome: CallOutcome = { caller, request, requestId, startedAt, startedAtMs, model: null };
    try {
      // Fail closed: an operator who disabled the agent in Opstage has stopped all upstream calls.
      this.integration.assertEnabled();
      const adapter = this.registry.get(request.provider);
      const call: PreparedCall = adapter.validate(request.operation, request.params);
      outcome.model = call.model;
      const subject = { userId: caller.userId, orgId: caller.orgId };
      await this.rateLimiter.admit(subject);
      const credentialRequest: CredentialRequest = {
        userId: caller.userId,
        orgId: caller.orgId,
        provider: adapter.name,
        bearerToken: caller.bearerToken,
      };
      // Keyless endpoints (e.g. a local Ollama) need no credential lookup at all.
      const credential = adapter.requiresCredential ? await this.credentials.resolve(credentialRequest) : undefined;
      outcome.credential = credential;
      try {
        outcome.response = await this.executor.execute(adapter, call, credential?.apiKey, requestId);
      } catch (error) {
        // A rejected key may have been rotated at its source: fetch it afresh next time.
        if (error instanceof GatewayError && error.code === 'PROVIDER_AUTH_FAILED') this.credentials.invalidate(credentialRequest);
        throw error;
      }
      outcome.model = outcome.response.model;
      void this.rateLimiter.recordTokens(subject, outcome.response.usage.totalTokens);
      this.providerHealth.recordSuccess(adapter.name, new Date());
      this.record(outcome);
      return outcome.response;
    } catch (error) {
      // Only failures that came from talking to the upstream say anything about its health.
      if (error instanceof GatewayError && error.provider && error.code.startsWith('PROVIDER_')) {
        this.providerHealth.recordFailure(error.provider, error.code, new Date());
      }
      outcome.error = error;
      this.record(outcome);
      throw error;
    }
  }

  private record({ caller, request, requestId, startedAt, startedAtMs, model, credential, response, error }: CallOutcome): void {
    const failure = error instanceof GatewayError ? error : undefined;
    this.executionLog.record({
      requestId,
      userId: caller.userId,
      orgId: caller.orgId ?? null,
      provider: request.provider,
      operation: request.operation,
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
