import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CredentialVault, ServiceKeys, type ServiceKeyState } from '@app/credentials';
import { ProviderExecutor, ProviderRegistry } from '@app/providers';
import type { ReportedAction } from '../opstage/opstage-contract.js';
import { ActionError } from './action-error.js';
import { readPayload } from './payload.js';

/**
 * rotateKey and rollbackKey: the service-level key per provider. A new key must work against the
 * upstream before it replaces the old one, which stays (encrypted) for rollback during the grace
 * period. Results carry fingerprints only, never a key.
 */
@Injectable()
export class KeyRotationActions {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly executor: ProviderExecutor,
    private readonly serviceKeys: ServiceKeys,
    private readonly vault: CredentialVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  definitions(): ReportedAction[] {
    const providers = this.keyedProviders();
    return [
      {
        name: 'rotateKey',
        label: 'Rotate provider key',
        description: 'Verifies the new key against the upstream, then replaces the service-level key; the old one is kept for rollback.',
        dangerLevel: 'HIGH',
        requiresConfirmation: true,
        inputSchema: {
          type: 'object',
          required: ['provider', 'apiKey'],
          properties: { provider: { type: 'string', enum: providers }, apiKey: { type: 'string', minLength: 8, writeOnly: true } },
          additionalProperties: false,
        },
        timeoutSeconds: 60,
        category: 'credentials',
        order: 2,
      },
      {
        name: 'rollbackKey',
        label: 'Roll back provider key',
        description: 'Restores the key the last rotation replaced, while its grace period lasts.',
        dangerLevel: 'HIGH',
        requiresConfirmation: true,
        inputSchema: { type: 'object', required: ['provider'], properties: { provider: { type: 'string', enum: providers } }, additionalProperties: false },
        timeoutSeconds: 30,
        category: 'credentials',
        order: 3,
      },
    ];
  }

  async state(): Promise<ServiceKeyState[]> {
    return Promise.all(this.keyedProviders().map((provider) => this.serviceKeys.state(provider)));
  }

  async rotate(payload: unknown, operatorId: string): Promise<ServiceKeyState> {
    const { provider, apiKey } = readPayload(payload, { provider: { required: true, oneOf: this.keyedProviders() }, apiKey: { required: true, minLength: 8 } });
    this.requireVault();
    const adapter = this.registry.get(provider!);
    const probe = await this.executor.probe(adapter, apiKey);
    if (!probe.ok) throw new ActionError('KEY_VERIFICATION_FAILED', `The new ${provider} key was not accepted by the upstream (${probe.errorCode})`);
    return this.serviceKeys.rotate(provider!, apiKey!, operatorId, this.config.keyRotationGraceMs);
  }

  async rollback(payload: unknown, operatorId: string): Promise<ServiceKeyState> {
    const { provider } = readPayload(payload, { provider: { required: true, oneOf: this.keyedProviders() } });
    this.requireVault();
    try {
      return await this.serviceKeys.rollback(provider!, operatorId);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') throw new ActionError('NO_ROLLBACK_KEY', error.message);
      throw error;
    }
  }

  private requireVault(): void {
    if (!this.vault.enabled) throw new ActionError('VAULT_DISABLED', 'Key rotation needs the encrypted vault: set CREDENTIAL_ENCRYPTION_KEY');
  }

  private keyedProviders(): string[] {
    return this.registry.list().filter((adapter) => adapter.requiresCredential).map((adapter) => adapter.name);
  }
}
