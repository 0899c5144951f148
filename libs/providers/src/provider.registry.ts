import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import type { ProviderAdapter } from './provider-adapter.js';
import { PROVIDER_ADAPTERS } from './provider-adapters.token.js';

/** Picks the adapter for a provider name. Adding a provider means adding an adapter, nothing here. */
@Injectable()
export class ProviderRegistry {
  private readonly adapters: ReadonlyMap<string, ProviderAdapter>;

  constructor(@Inject(PROVIDER_ADAPTERS) adapters: ProviderAdapter[]) {
    const byName = new Map<string, ProviderAdapter>();
    for (const adapter of adapters) {
      if (byName.has(adapter.name)) throw new Error(`Two provider adapters are named '${adapter.name}'`);
      byName.set(adapter.name, adapter);
    }
    this.adapters = byName;
  }

  get(name: string): ProviderAdapter {
    const adapter = this.adapters.get(name);
    if (!adapter) {
      throw new GatewayError('UNKNOWN_PROVIDER', `Unknown provider '${truncate(name)}'. Available: ${this.names().join(', ')}`, {
        violations: [{ field: 'provider', message: `must be one of: ${this.names().join(', ')}` }],
      });
    }
    return adapter;
  }

  list(): ProviderAdapter[] {
    return [...this.adapters.values()];
  }

  names(): string[] {
    return [...this.adapters.keys()];
  }
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
