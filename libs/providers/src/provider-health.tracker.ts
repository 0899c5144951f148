import { Injectable } from '@nestjs/common';

export interface ProviderHealth {
  name: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorCode: string | null;
  successCount: number;
  failureCount: number;
}

/** In-memory record of each provider's recent outcomes, for status and health reporting. */
@Injectable()
export class ProviderHealthTracker {
  private readonly health = new Map<string, ProviderHealth>();

  recordSuccess(provider: string, at: Date): void {
    const entry = this.entryFor(provider);
    entry.lastSuccessAt = at.toISOString();
    entry.successCount++;
  }

  recordFailure(provider: string, errorCode: string, at: Date): void {
    const entry = this.entryFor(provider);
    entry.lastFailureAt = at.toISOString();
    entry.lastErrorCode = errorCode;
    entry.failureCount++;
  }

  snapshot(providers: string[]): ProviderHealth[] {
    return providers.map((name) => ({ ...(this.health.get(name) ?? emptyHealth(name)) }));
  }

  private entryFor(provider: string): ProviderHealth {
    let entry = this.health.get(provider);
    if (!entry) {
      entry = emptyHealth(provider);
      this.health.set(provider, entry);
    }
    return entry;
  }
}

function emptyHealth(name: string): ProviderHealth {
  return { name, lastSuccessAt: null, lastFailureAt: null, lastErrorCode: null, successCount: 0, failureCount: 0 };
}
