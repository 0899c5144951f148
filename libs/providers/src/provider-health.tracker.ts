import { Injectable } from '@nestjs/common';

export interface ProviderHealth {
  name: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorCode: string | null;
  successCount: number;
  failureCount: number;
}

/** Times kept as Dates and formatted only when read: recording happens on every call, reading rarely. */
interface HealthRecord {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastErrorCode: string | null;
  successCount: number;
  failureCount: number;
}

/** In-memory record of each provider's recent outcomes, for status and health reporting. */
@Injectable()
export class ProviderHealthTracker {
  private readonly health = new Map<string, HealthRecord>();

  recordSuccess(provider: string, at: Date): void {
    const entry = this.entryFor(provider);
    entry.lastSuccessAt = at;
    entry.successCount++;
  }

  recordFailure(provider: string, errorCode: string, at: Date): void {
    const entry = this.entryFor(provider);
    entry.lastFailureAt = at;
    entry.lastErrorCode = errorCode;
    entry.failureCount++;
  }

  snapshot(providers: string[]): ProviderHealth[] {
    return providers.map((name) => {
      const entry = this.health.get(name);
      return {
        name,
        lastSuccessAt: entry?.lastSuccessAt?.toISOString() ?? null,
        lastFailureAt: entry?.lastFailureAt?.toISOString() ?? null,
        lastErrorCode: entry?.lastErrorCode ?? null,
        successCount: entry?.successCount ?? 0,
        failureCount: entry?.failureCount ?? 0,
      };
    });
  }

  private entryFor(provider: string): HealthRecord {
    let entry = this.health.get(provider);
    if (!entry) {
      entry = { lastSuccessAt: null, lastFailureAt: null, lastErrorCode: null, successCount: 0, failureCount: 0 };
      this.health.set(provider, entry);
    }
    return entry;
  }
}
