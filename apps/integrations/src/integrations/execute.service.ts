import { Injectable } from '@nestjs/common';
import type { Caller } from '@app/auth';
import { GatewayError, redactSecrets } from '@app/common';
import { CredentialResolver } from '@app/credentials';
import { ExecutionLogWriter } from '@app/execution-log';
import type { NormalizedResponse } from '@app/normalization';
import { ProviderExecutor, ProviderRegistry, type PreparedCall } from '@app/providers';
import { ProviderHealthTracker } from '../status/provider-health.tracker.js';
import type { ExecuteRequestDto } from './dto/execute-request.dto.js';

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
  ) {}

  async execute(caller: Caller, request: ExecuteRequestDto, requestId: string): Promise<NormalizedResponse> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    let call: PreparedCall | undefined;
    try {
      const adapter = this.registry.get(request.provider);
      call = adapter.validate(request.operation, request.params);
      const credential = await this.credentials.resolve({ userId: caller.userId, orgId: caller.orgId, provider: adapter.name });
      const response = await this.executor.execute(adapter, call, credential.apiKey, requestId);
      this.providerHealth.recordSuccess(adapter.name, new Date());
      this.record(caller, request, requestId, startedAt, startedAtMs, response.model, response);
      return response;
    } catch (error) {
      const failure = error instanceof GatewayError ? error : undefined;
      // Only failures that came from talking to the upstream say anything about its health.
      if (failure?.provider && failure.code.startsWith('PROVIDER_')) {
        this.providerHealth.recordFailure(failure.provider, failure.code, new Date());
      }
      this.record(caller, request, requestId, startedAt, startedAtMs, call?.model ?? null, undefined, failure ?? error);
      throw error;
    }
  }

  private record(
    caller: Caller,
    request: ExecuteRequestDto,
    requestId: string,
    startedAt: Date,
    startedAtMs: number,
    model: string | null,
    response?: NormalizedResponse,
    error?: unknown,
  ): void {
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
      errorMessage: response ? null : failure ? redactSecrets(failure.message) : 'Internal error',
      createdAt: startedAt,
    });
  }
}
