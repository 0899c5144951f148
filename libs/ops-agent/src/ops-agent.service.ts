import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type OpsAgentConfig } from '@app/config';
import { ActionRunner } from './actions/action-runner.js';
import { IntegrationSwitch } from './integration-switch.js';
import { AgentTokenStore, type StoredAgent } from './opstage/agent-token.store.js';
import type { Command, Intervals, ReportedService } from './opstage/opstage-contract.js';
import { OpstageClient, OpstageError } from './opstage/opstage.client.js';
import { ConfigReport } from './report/config-report.js';
import { ServiceHealth } from './report/service-health.js';
import { readServiceVersion } from '@app/common';

const MIN_INTERVAL_MS = 10;
const MAX_BACKOFF_MS = 60_000;

export interface OpsAgentState {
  enabled: boolean;
  registered: boolean;
  agentId: string | null;
  serviceId: string | null;
  lastContactAt: string | null;
  lastError: string | null;
}

/**
 * The embedded Opstage agent: registers (token persisted, reused on restart), reports the service,
 * heartbeats its health and polls for operator commands at the intervals Opstage returns. Opstage
 * being unreachable only slows the agent down (jittered backoff); Opstage saying the agent is
 * disabled or revoked turns the data plane off until it is accepted again.
 */
@Injectable()
export class OpsAgentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OpsAgent');
  private readonly config: OpsAgentConfig;
  private readonly tokenStore: AgentTokenStore;
  private agent: StoredAgent | null = null;
  private serviceId: string | null = null;
  private intervals: Intervals = { heartbeatIntervalSeconds: 30, commandPollIntervalSeconds: 5 };
  private readonly timers: { poll?: NodeJS.Timeout; heartbeat?: NodeJS.Timeout } = {};
  private consecutiveFailures = 0;
  private stopped = false;
  private lastContactAt: Date | null = null;
  private lastError: string | null = null;
  private connecting?: Promise<boolean>;

  constructor(
    @Inject(APP_CONFIG) appConfig: AppConfig,
    private readonly client: OpstageClient,
    private readonly integration: IntegrationSwitch,
    private readonly health: ServiceHealth,
    private readonly configReport: ConfigReport,
    private readonly actions: ActionRunner,
  ) {
    this.config = appConfig.opsAgent!;
    this.tokenStore = new AgentTokenStore(this.config.agentTokenFile);
  }

  onApplicationBootstrap(): void {
    // Not awaited: a slow or absent Opstage must never hold up the data plane's start.
    this.schedule('poll', 0);
    this.schedule('heartbeat', 0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timers.poll);
    clearTimeout(this.timers.heartbeat);
  }

  state(): OpsAgentState {
    return {
      enabled: true,
      registered: this.agent !== null,
      agentId: this.agent?.agentId ?? null,
      serviceId: this.serviceId,
      lastContactAt: this.lastContactAt?.toISOString() ?? null,
      lastError: this.lastError,
    };
  }

  /** Sends health now (after a health check or a reconnect) instead of at the next interval. */
  heartbeatSoon(): void {
    this.schedule('heartbeat', 0);
  }

  private schedule(loop: 'poll' | 'heartbeat', delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers[loop]);
    this.timers[loop] = setTimeout(() => void this.tick(loop), delayMs);
    this.timers[loop].unref();
  }

  private async tick(loop: 'poll' | 'heartbeat'): Promise<void> {
    try {
      const connected = await this.ensureConnected();
      if (connected) await (loop === 'poll' ? this.poll() : this.heartbeat());
      this.consecutiveFailures = 0;
      this.schedule(loop, this.intervalMs(loop));
    } catch (error) {
      this.schedule(loop, this.onFailure(error, this.intervalMs(loop)));
    }
  }

  /** The interval Opstage last asked for (it may change them with any answer). */
  private intervalMs(loop: 'poll' | 'heartbeat'): number {
    const seconds = loop === 'poll' ? this.intervals.commandPollIntervalSeconds : this.intervals.heartbeatIntervalSeconds;
    return Math.max(MIN_INTERVAL_MS, 1000 * seconds);
  }

  /** Both loops call this; they share one attempt so a single-use registration token is used once. */
  private ensureConnected(): Promise<boolean> {
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<boolean> {
    this.agent ??= await this.tokenStore.load();
    if (!this.agent) {
      if (!this.config.registrationToken) {
        this.lastError = 'no saved agent token and no OPSTAGE_REGISTRATION_TOKEN';
        return false;
      }
      const registration = await this.client.register({
        registrationToken: this.config.registrationToken,
        agent: { code: this.config.serviceCode, name: this.config.serviceName, mode: 'embedded', runtime: 'nodejs' },
      });
      this.agent = { agentId: registration.agentId, agentToken: registration.agentToken };
      this.intervals = pickIntervals(registration, this.intervals);
      await this.tokenStore.save(this.agent);
      this.logger.log(`Registered with Opstage as ${registration.agentId}`);
    }
    if (!this.serviceId) await this.report();
    return true;
  }

  /** Reports the service (replacing its configs and actions in Opstage) and learns its id. */
  async report(): Promise<void> {
    if (!this.agent) return;
    const { services } = await this.client.reportServices(this.agent.agentToken, this.agent.agentId, [await this.service()]);
    this.serviceId = services.find((service) => service.code === this.config.serviceCode)?.id ?? services[0]?.id ?? null;
    this.contact();
  }

  private async poll(): Promise<void> {
    const commands = await this.client.pollCommands(this.agent!.agentToken, this.agent!.agentId, 10);
    this.contact();
    for (const command of commands) await this.handle(command);
  }

  private async heartbeat(): Promise<void> {
    const answer = await this.client.heartbeat(this.agent!.agentToken, this.agent!.agentId, this.serviceId ?? undefined, await this.health.current());
    this.intervals = pickIntervals(answer, this.intervals);
    this.contact();
  }

  private async handle(command: Command): Promise<void> {
    const result = command.type === 'ACTION_PREPARE' ? await this.actions.prepare(command, this.health) : await this.actions.execute(command);
    try {
      await this.client.reportResult(this.agent!.agentToken, this.agent!.agentId, command.id, result);
    } catch (error) {
      // 404/409: cancelled, expired or already completed; nothing left to tell Opstage.
      if (!(error instanceof OpstageError) || (error.status !== 404 && error.status !== 409)) throw error;
    }
    if (command.type === 'ACTION_EXECUTE' && result.success) {
      if (command.actionName === 'rotateKey' || command.actionName === 'rollbackKey') await this.report();
      this.heartbeatSoon();
    }
  }

  /** Any accepted call means Opstage accepts the agent: the data plane may run. */
  private contact(): void {
    this.lastContactAt = new Date();
    this.lastError = null;
    if (!this.integration.enabled) {
      this.integration.enable();
      this.logger.log('Opstage accepts the agent again; upstream calls resumed');
      this.heartbeatSoon();
    }
  }

  /** Decides what a failed call means and how long to wait before the next try. */
  private onFailure(error: unknown, intervalMs: number): number {
    const opstage = error instanceof OpstageError ? error : undefined;
    this.lastError = opstage ? `${opstage.code} (HTTP ${opstage.status})` : (error as Error).message;
    if (opstage?.agentDisabled) {
      if (this.integration.enabled) this.logger.warn('Opstage disabled this agent; upstream calls are refused until it is enabled again');
      this.integration.disable('AGENT_DISABLED');
      return intervalMs;
    }
    if (opstage?.tokenRejected) {
      this.integration.disable('AGENT_TOKEN_REJECTED');
      if (this.config.registrationToken && this.agent) {
        // The token was revoked: forget it so the next tick registers again with the registration token.
        this.agent = null;
        this.serviceId = null;
        void this.tokenStore.clear();
      }
    } else {
      this.logger.warn(`Opstage call failed: ${this.lastError}`);
    }
    this.consecutiveFailures++;
    const backoff = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(this.consecutiveFailures, 10));
    return Math.round(backoff * (0.8 + Math.random() * 0.4));
  }

  private async service(): Promise<ReportedService> {
    const snapshot = await this.configReport.snapshot();
    const { version } = readServiceVersion();
    return {
      code: this.config.serviceCode,
      name: this.config.serviceName,
      description: 'Credential-secured gateway to external AI APIs',
      version,
      runtime: 'nodejs',
      manifest: {
        kind: 'integrations-gateway',
        configRevision: snapshot.revision,
        lastDriftAt: snapshot.lastDriftAt,
        integration: this.integration.state(),
      },
      health: await this.health.current(),
      configs: snapshot.configs,
      actions: this.actions.definitions(),
    };
  }
}

function pickIntervals(answer: Partial<Intervals> | undefined, current: Intervals): Intervals {
  return {
    heartbeatIntervalSeconds: positive(answer?.heartbeatIntervalSeconds) ?? current.heartbeatIntervalSeconds,
    commandPollIntervalSeconds: positive(answer?.commandPollIntervalSeconds) ?? current.commandPollIntervalSeconds,
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
