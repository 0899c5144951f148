import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { opsAgentConfig, type OpsAgentConfig } from '../ops-agent.config.js';
import { CredentialVault, ServiceKeys, type ServiceKeyState } from '@app/credentials';
import { ProviderExecutor, ProviderRegistry } from '@app/providers';
import type { ReportedAction } from '../opstage/opstage-contract.js';
import { ActionError } from './action-error.js';
import type { OpsAction } from './ops-action.js';
import { readPayload } from './payload.js';
import { SecretRefResolver } from './secret-ref.js';

/** What rotateKey and rollbackKey share: the providers with a service key, and the vault they need. */
@Injectable()
export class ServiceKeyActionsSupport {
  readonly secretRefs: SecretRefResolver;

  constructor(
    readonly registry: ProviderRegistry,
    readonly serviceKeys: ServiceKeys,
    private readonly vault: CredentialVault,
    @Inject(opsAgentConfig.token) config: OpsAgentConfig,
  ) {
    this.secretRefs = new SecretRefResolver(config.secretDirs);
  }

  keyedProviders(): string[] {
    return this.registry
      .list()
      .filter((adapter) => adapter.requiresCredential)
      .map((adapter) => adapter.name);
  }

  requireVault(): void {
    if (!this.vault.enabled)
      throw new ActionError('VAULT_DISABLED', 'Key rotation needs the encrypted vault: set CREDENTIAL_ENCRYPTION_KEY');
  }

  states(): Promise<ServiceKeyState[]> {
    return Promise.all(this.keyedProviders().map((provider) => this.serviceKeys.state(provider)));
  }
}

/**
 * rotateKey: the payload names where the new key is (`secretRef`), never the key itself: Opstage
 * stores payloads verbatim and re-sends them on retry. The key is resolved inside the service,
 * must work against the upstream before it replaces the old one, which stays (encrypted) for
 * rollback during the grace period. Results carry fingerprints and the ref, never a key.
 */
@Injectable()
export class RotateKeyAction implements OpsAction {
  readonly name = 'rotateKey';
  readonly changesReportedState = true;
  readonly auditKind = 'key_rotation';

  constructor(
    private readonly keys: ServiceKeyActionsSupport,
    private readonly executor: ProviderExecutor,
    @Inject(opsAgentConfig.token) private readonly config: OpsAgentConfig,
  ) {}

  definition(): ReportedAction {
    return {
      name: this.name,
      label: 'Rotate provider key',
      description:
        'Takes the new key from a secretRef (env:NAME_API_KEY… or file:/run/secrets/…, resolved inside the service), verifies it against the upstream, then replaces the service-level key; the old one is kept for rollback.',
      dangerLevel: 'HIGH',
      requiresConfirmation: true,
      inputSchema: {
        type: 'object',
        required: ['provider', 'secretRef'],
        properties: {
          provider: { type: 'string', enum: this.keys.keyedProviders() },
          secretRef: {
            type: 'string',
            pattern: '^(env:[A-Z][A-Z0-9_]*|file:/.+)$',
            description: 'Where the new key is: env:OPENAI_API_KEY_NEXT or file:/run/secrets/openai-next',
          },
        },
        additionalProperties: false,
      },
      timeoutSeconds: 60,
      category: 'credentials',
      order: 2,
    };
  }

  /** `availableKeyRefs`, not …SecretRefs: Opstage blanks any result field whose name contains "secret". */
  async prepare() {
    return {
      initialPayload: { provider: 'openai' },
      currentState: { serviceKeys: await this.keys.states(), availableKeyRefs: await this.keys.secretRefs.available() },
    };
  }

  async run(payload: unknown, operatorId: string | null): Promise<ServiceKeyState> {
    if (payload !== null && typeof payload === 'object' && Object.hasOwn(payload, 'apiKey')) {
      throw new ActionError(
        'INVALID_PAYLOAD',
        'rotateKey takes a secretRef (env:NAME or file:/path), never the key itself: Opstage stores command payloads verbatim',
      );
    }
    const { provider, secretRef } = readPayload(payload, {
      provider: { required: true, oneOf: this.keys.keyedProviders() },
      secretRef: { required: true, maxLength: 300 },
    });
    this.keys.requireVault();
    const apiKey = await this.keys.secretRefs.resolve(secretRef!);
    const probe = await this.executor.probe(this.keys.registry.get(provider!), apiKey);
    if (!probe.ok)
      throw new ActionError(
        'KEY_VERIFICATION_FAILED',
        `The ${provider} key from ${secretRef} was not accepted by the upstream (${probe.errorCode})`,
      );
    return this.keys.serviceKeys.rotate(provider!, apiKey, operatorId!, this.config.keyRotationGraceMs, secretRef);
  }
}

/** rollbackKey: restores the key the last rotation replaced, while its grace period lasts. */
@Injectable()
export class RollbackKeyAction implements OpsAction {
  readonly name = 'rollbackKey';
  readonly changesReportedState = true;
  readonly auditKind = 'key_rotation';

  constructor(private readonly keys: ServiceKeyActionsSupport) {}

  definition(): ReportedAction {
    return {
      name: this.name,
      label: 'Roll back provider key',
      description: 'Restores the key the last rotation replaced, while its grace period lasts.',
      dangerLevel: 'HIGH',
      requiresConfirmation: true,
      inputSchema: {
        type: 'object',
        required: ['provider'],
        properties: { provider: { type: 'string', enum: this.keys.keyedProviders() } },
        additionalProperties: false,
      },
      timeoutSeconds: 30,
      category: 'credentials',
      order: 3,
    };
  }

  async prepare() {
    return { initialPayload: { provider: 'openai' }, currentState: { serviceKeys: await this.keys.states() } };
  }

  async run(payload: unknown, operatorId: string | null): Promise<ServiceKeyState> {
    const { provider } = readPayload(payload, { provider: { required: true, oneOf: this.keys.keyedProviders() } });
    this.keys.requireVault();
    try {
      return await this.keys.serviceKeys.rollback(provider!, operatorId!);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') throw new ActionError('NO_ROLLBACK_KEY', error.message);
      throw error;
    }
  }
}
