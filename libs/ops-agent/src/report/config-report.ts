import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { readServiceVersion } from '@app/common';
import { authConfig, type AuthConfig } from '@app/auth';
import { credentialsConfig, type CredentialsConfig } from '@app/credentials';
import { executionLogConfig, type ExecutionLogConfig } from '@app/execution-log';
import { ServiceKeys } from '@app/credentials';
import { ProviderRegistry } from '@app/providers';
import { AuditLog } from '../audit/audit-log.js';
import { ConfigStateEntity } from '../audit/config-state.entity.js';
import type { ReportedConfig } from '../opstage/opstage-contract.js';

export interface ConfigSnapshot {
  configs: ReportedConfig[];
  revision: number;
  lastDriftAt: string | null;
}

/**
 * The service's effective configuration as operators see it (non-secret values; keys only as
 * fingerprints), compared with the last reported snapshot: every drifted key is audited and bumps
 * the config revision. Opstage itself does not detect drift.
 */
@Injectable()
export class ConfigReport {
  constructor(
    @Inject(authConfig.token) private readonly auth: AuthConfig,
    @Inject(credentialsConfig.token) private readonly credentials: CredentialsConfig,
    @Inject(executionLogConfig.token) private readonly executionLog: ExecutionLogConfig,
    private readonly registry: ProviderRegistry,
    private readonly serviceKeys: ServiceKeys,
    private readonly audit: AuditLog,
    @InjectRepository(ConfigStateEntity) private readonly states: Repository<ConfigStateEntity>,
  ) {}

  async snapshot(): Promise<ConfigSnapshot> {
    const configs = await this.configs();
    const current = Object.fromEntries(configs.map((config) => [config.key, config.valuePreview ?? null]));
    const previous = await this.states.findOneBy({ id: 1 });
    if (!previous) {
      await this.states.insert({ id: 1, snapshot: current, revision: 1, lastDriftAt: null, updatedAt: new Date() });
      return { configs, revision: 1, lastDriftAt: null };
    }
    const drifted = [...new Set([...Object.keys(previous.snapshot), ...Object.keys(current)])].filter(
      (key) => (previous.snapshot[key] ?? null) !== (current[key] ?? null),
    );
    if (drifted.length === 0) return { configs, revision: previous.revision, lastDriftAt: previous.lastDriftAt?.toISOString() ?? null };
    const now = new Date();
    for (const key of drifted) {
      await this.audit.record({
        kind: 'config_drift',
        commandId: null,
        action: null,
        operatorId: null,
        payload: { key, from: previous.snapshot[key] ?? null, to: current[key] ?? null },
        result: null,
        success: true,
        errorCode: null,
        durationMs: null,
      });
    }
    const revision = previous.revision + 1;
    await this.states.update({ id: 1 }, { snapshot: current, revision, lastDriftAt: now, updatedAt: now });
    return { configs, revision, lastDriftAt: now.toISOString() };
  }

  private async configs(): Promise<ReportedConfig[]> {
    const configs: ReportedConfig[] = [
      entry('service.version', 'string', 'Service version', readServiceVersion().version),
      entry('auth.mode', 'string', 'Authentication mode', this.auth.mode),
      entry('credentials.sources', 'string', 'Credential sources, in order', this.credentials.sources.join(',')),
      entry('executionLog.batchSize', 'number', 'Execution log batch size', this.executionLog.batchSize),
    ];
    for (const adapter of this.registry.list()) {
      const name = adapter.name;
      configs.push(
        entry(
          `providers.${name}.defaultModel`,
          'string',
          `${adapter.displayName} pinned default model`,
          adapter.operations[0]?.defaultModel ?? '',
        ),
      );
      configs.push(entry(`providers.${name}.baseUrl`, 'string', `${adapter.displayName} upstream URL`, this.baseUrlOf(name)));
      configs.push(entry(`providers.${name}.timeoutMs`, 'number', `${adapter.displayName} timeout (ms)`, adapter.timeoutMs));
      const key = await this.serviceKeys.state(name);
      configs.push({
        ...entry(
          `providers.${name}.keyFingerprint`,
          'string',
          `${adapter.displayName} service key (fingerprint)`,
          key.fingerprint ?? 'none',
        ),
        source: key.source ?? 'none',
        ...(key.keyRef && { secretRef: key.keyRef }),
      });
    }
    return configs;
  }

  private baseUrlOf(provider: string): string {
    return this.registry.names().includes(provider) ? this.registry.get(provider).baseUrl : '';
  }
}

function entry(key: string, type: string, label: string, value: string | number): ReportedConfig {
  return { key, type, label, source: 'env', editable: false, sensitive: false, valuePreview: String(value) };
}
