import { Injectable } from '@nestjs/common';
import { CircuitBreaker, ProviderRegistry } from '@app/providers';
import type { ReportedAction } from '../opstage/opstage-contract.js';
import type { OpsAction } from './ops-action.js';
import { readPayload } from './payload.js';

/** resetCircuit: closes one provider's circuit (or every one), e.g. once an operator knows an outage is over. */
@Injectable()
export class ResetCircuitAction implements OpsAction {
  readonly name = 'resetCircuit';
  readonly changesReportedState = false;
  readonly auditKind = 'action';

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly circuit: CircuitBreaker,
  ) {}

  definition(): ReportedAction {
    return {
      name: this.name,
      label: 'Reset circuit breaker',
      description: 'Closes the circuit of the provider named (or of every provider): calls go upstream again at once.',
      dangerLevel: 'LOW',
      requiresConfirmation: false,
      inputSchema: {
        type: 'object',
        properties: { provider: { type: 'string', enum: this.registry.names() } },
        additionalProperties: false,
      },
      timeoutSeconds: 10,
      category: 'diagnostics',
      order: 4,
    };
  }

  prepare() {
    return Promise.resolve({ initialPayload: {}, currentState: { circuits: this.circuits() } });
  }

  /** Synchronous work behind the async OpsAction contract: a refusal (bad payload) becomes a rejection. */
  run(payload: unknown): Promise<{ reset: string[]; circuits: Record<string, string> }> {
    return Promise.resolve().then(() => {
      const { provider } = readPayload(payload, { provider: { required: false, oneOf: this.registry.names() } });
      const names = provider ? [provider] : this.registry.names();
      for (const name of names) this.circuit.reset(name);
      return { reset: names, circuits: this.circuits() };
    });
  }

  private circuits(): Record<string, string> {
    return Object.fromEntries(this.registry.names().map((name) => [name, this.circuit.state(name)]));
  }
}
