import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';

/**
 * Whether the gateway may call upstreams. An operator disabling the agent in Opstage turns it off
 * (fail closed); Opstage accepting the agent again turns it back on.
 */
@Injectable()
export class IntegrationSwitch {
  private disabledReason: string | null = null;
  private changedAt = new Date();

  get enabled(): boolean {
    return this.disabledReason === null;
  }

  disable(reason: string): void {
    if (this.disabledReason === reason) return;
    this.disabledReason = reason;
    this.changedAt = new Date();
  }

  enable(): void {
    if (this.disabledReason === null) return;
    this.disabledReason = null;
    this.changedAt = new Date();
  }

  /** Throws 503 INTEGRATION_DISABLED while disabled. */
  assertEnabled(): void {
    if (this.disabledReason !== null) {
      throw new GatewayError('INTEGRATION_DISABLED', `Upstream calls are disabled by the control plane (${this.disabledReason})`);
    }
  }

  state(): { enabled: boolean; reason: string | null; changedAt: string } {
    return { enabled: this.enabled, reason: this.disabledReason, changedAt: this.changedAt.toISOString() };
  }
}
