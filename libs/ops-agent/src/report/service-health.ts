import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CircuitBreaker, ProviderHealthTracker, ProviderRegistry } from '@app/providers';
import type { ReportedHealth } from '../opstage/opstage-contract.js';

/**
 * The health sent with every heartbeat: DOWN when the database is unreachable, DEGRADED when a
 * provider's latest outcome is a failure or its circuit is open, else UP. Detail field names stay clear of Opstage's
 * redaction pattern (no "token", "key", …) so operators can read them.
 */
@Injectable()
export class ServiceHealth {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tracker: ProviderHealthTracker,
    private readonly registry: ProviderRegistry,
    private readonly circuit: CircuitBreaker,
  ) {}

  async current(): Promise<ReportedHealth> {
    const providers = Object.fromEntries(
      this.tracker.snapshot(this.registry.names()).map((provider) => {
        const failing =
          provider.lastFailureAt !== null && (provider.lastSuccessAt === null || provider.lastFailureAt > provider.lastSuccessAt);
        const circuit = this.circuit.state(provider.name);
        const state = failing || circuit !== 'closed' ? 'failing' : provider.lastSuccessAt ? 'ok' : 'unknown';
        return [
          provider.name,
          { state, circuit, lastOkAt: provider.lastSuccessAt, lastFailAt: provider.lastFailureAt, lastError: provider.lastErrorCode },
        ];
      }),
    );
    const failing = Object.entries(providers)
      .filter(([, provider]) => provider.state === 'failing')
      .map(([name]) => name);
    let database = 'up';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      database = 'down';
    }
    if (database === 'down') return { status: 'DOWN', message: 'database unreachable', details: { database, providers } };
    if (failing.length > 0) return { status: 'DEGRADED', message: `failing: ${failing.join(', ')}`, details: { database, providers } };
    return { status: 'UP', details: { database, providers } };
  }
}
