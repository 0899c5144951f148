import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';

/**
 * Where the switch's current position comes from: `opstage`, an answer from Opstage in this process;
 * `persisted`, the last verdict stored before a restart (Opstage not heard from yet); `none`, a
 * service that has never heard from Opstage (first boot, serving until it does).
 */
export type VerdictSource = 'opstage' | 'persisted' | 'none';

/**
 * Whether the gateway may call upstreams. An operator disabling or revoking the agent in Opstage
 * turns it off (fail closed); only Opstage accepting the agent again turns it back on.
 */
@Injectable()
export class IntegrationSwitch {
  private disabledReason: string | null = null;
  private changedAt = new Date();
  private source: VerdictSource = 'none';

  get enabled(): boolean {
    return this.disabledReason === null;
  }

  disable(reason: string, source: VerdictSource = 'opstage', at = new Date()): void {
    this.source = source;
    if (this.disabledReason === reason) return;
    this.disabledReason = reason;
    this.changedAt = at;
  }

  enable(source: VerdictSource = 'opstage', at = new Date()): void {
    this.source = source;
    if (this.disabledReason === null) return;
    this.disabledReason = null;
    this.changedAt = at;
  }

  /** Throws 503 INTEGRATION_DISABLED while disabled. */
  assertEnabled(): void {
    if (this.disabledReason !== null) {
      throw new GatewayError('INTEGRATION_DISABLED', `Upstream calls are disabled by the control plane (${this.disabledReason})`);
    }
  }

  state(): { enabled: boolean; reason: string | null; changedAt: string; verdictSource: VerdictSource } {
    return { enabled: this.enabled, reason: this.disabledReason, changedAt: this.changedAt.toISOString(), verdictSource: this.source };
  }
}
