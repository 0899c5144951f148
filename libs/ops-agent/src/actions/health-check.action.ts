import { Injectable } from '@nestjs/common';
import { ServiceKeys } from '@app/credentials';
import { ProviderExecutor, ProviderHealthTracker, ProviderRegistry } from '@app/providers';
import type { ReportedAction } from '../opstage/opstage-contract.js';
import { ServiceHealth } from '../report/service-health.js';
import type { OpsAction } from './ops-action.js';
import { readPayload } from './payload.js';

export interface ProviderCheck {
  provider: string;
  status: 'UP' | 'DOWN' | 'SKIPPED';
  latencyMs: number | null;
  errorCode: string | null;
}

/** runHealthCheck: a token-free authenticated request to each upstream with the service-level key. */
@Injectable()
export class HealthCheckAction implements OpsAction {
  readonly name = 'runHealthCheck';
  readonly changesReportedState = false;
  readonly auditKind = 'action';

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly executor: ProviderExecutor,
    private readonly serviceKeys: ServiceKeys,
    private readonly tracker: ProviderHealthTracker,
    private readonly health: ServiceHealth,
  ) {}

  async prepare() {
    return { initialPayload: {}, currentState: { health: await this.health.current() } };
  }

  definition(): ReportedAction {
    return {
      name: this.name,
      label: 'Run health check',
      description: 'Calls each upstream (or the one named) with the service-level key; reports status, latency and error code.',
      dangerLevel: 'LOW',
      requiresConfirmation: false,
      inputSchema: {
        type: 'object',
        properties: { provider: { type: 'string', enum: this.registry.names() } },
        additionalProperties: false,
      },
      timeoutSeconds: 30,
      category: 'diagnostics',
      order: 1,
    };
  }

  async run(payload: unknown): Promise<{ checks: ProviderCheck[] }> {
    // LOW and unconfirmed: event-bus commands may run it (the runner has already unwrapped theirs).
    const { provider } = readPayload(payload, { provider: { required: false, oneOf: this.registry.names() } });
    const adapters = provider ? [this.registry.get(provider)] : this.registry.list();
    const checks = await Promise.all(
      adapters.map(async (adapter): Promise<ProviderCheck> => {
        const key = adapter.requiresCredential ? await this.serviceKeys.current(adapter.name) : null;
        if (adapter.requiresCredential && !key)
          return { provider: adapter.name, status: 'SKIPPED', latencyMs: null, errorCode: 'CREDENTIAL_NOT_FOUND' };
        const probe = await this.executor.probe(adapter, key?.apiKey);
        if (probe.ok) this.tracker.recordSuccess(adapter.name, new Date());
        else this.tracker.recordFailure(adapter.name, probe.errorCode ?? 'PROVIDER_UNAVAILABLE', new Date());
        return { provider: adapter.name, status: probe.ok ? 'UP' : 'DOWN', latencyMs: probe.latencyMs, errorCode: probe.errorCode ?? null };
      }),
    );
    return { checks };
  }
}
