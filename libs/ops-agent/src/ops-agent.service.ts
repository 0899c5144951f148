import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { opsAgentConfig, type OpsAgentConfig, type OpstageConfig } from './ops-agent.config.js';
import { ActionRunner } from './actions/action-runner.js';
import { IntegrationSwitch } from '@app/providers';
import { AgentTokenStore, type StoredAgent } from './opstage/agent-token.store.js';
import type { Command, Intervals, ReportedService } from './opstage/opstage-contract.js';
import { backoffMs } from './opstage/backoff.js';
import { OpstageClient, OpstageError } from './opstage/opstage.client.js';
import { ConfigReport } from './report/config-report.js';
import { ServiceHealth } from './report/service-health.js';
import type { Verdict } from './state/agent-verdict.entity.js';
import { AgentVerdictStore } from './state/agent-verdict.store.js';
import { ResultOutbox } from './state/result-outbox.js';
import { readServiceVersion } from '@app/common';

const MIN_INTERVAL_MS = 10;

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
 * disabled or revoked (or refusing its registration) turns the data plane off until Opstage
 * accepts it again. That verdict is persisted and applied at boot, before the port opens, so a
 * refused service stays off through restarts even while Opstage is unreachable. Action results
 * Opstage cannot take go to a persisted outbox and are delivered when it can.
 */
@Injectable()
export class OpsAgentService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OpsAgent');
  private readonly config: OpstageConfig;
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
  /** The verdict last written to the database (undefined: not known to be written). */
  private storedVerdict: Verdict | undefined;
  /** The service must be reported again (after a rotation, or a report that failed). */
  private reportDue = false;

  constructor(
    @Inject(opsAgentConfig.token) opsAgent: OpsAgentConfig,
    private readonly client: OpstageClient,
    private readonly integration: IntegrationSwitch,
    private readonly health: ServiceHealth,
    private readonly configReport: ConfigReport,
    private readonly actions: ActionRunner,
    private readonly verdicts: AgentVerdictStore,
    private readonly outbox: ResultOutbox,
  ) {
    this.config = opsAgent.opstage!;
    this.tokenStore = new AgentTokenStore(this.config.agentTokenFile);
  }

  /** Applies the last verdict before the HTTP port opens: a service Opstage refused never serves on boot. */
  async onModuleInit(): Promise<void> {
    const stored = await this.verdicts.load();
    this.storedVerdict = stored?.verdict;
    if (!stored) {
      this.logger.log('No verdict from Opstage yet: serving until it gives one (first boot)');
      return;
    }
    if (stored.verdict === 'enabled') this.integration.enable('persisted', stored.decidedAt);
    else {
      this.integration.disable(stored.reason ?? stored.verdict.toUpperCase(), 'persisted', stored.decidedAt);
      this.logger.warn(
        `Opstage's last verdict was ${stored.verdict} (${stored.reason}); upstream calls stay refused until Opstage accepts the agent again`,
      );
    }
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
      if (this.consecutiveFailures > 0) {
        // Opstage answers again: the other loop may be deep in its back-off, so wake it now.
        this.consecutiveFailures = 0;
        this.schedule(loop === 'poll' ? 'heartbeat' : 'poll', 0);
      }
      this.schedule(loop, this.intervalMs(loop));
    } catch (error) {
      this.schedule(loop, await this.onFailure(error, this.intervalMs(loop)).catch(() => this.intervalMs(loop)));
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
      let registration;
      try {
        registration = await this.client.register({
          registrationToken: this.config.registrationToken,
          agent: { code: this.config.serviceCode, name: this.config.serviceName, mode: 'embedded', runtime: 'nodejs' },
        });
      } catch (error) {
        // Registration tokens are single use: a refused one means Opstage will not have this agent.
        if (error instanceof OpstageError && error.registrationRefused) await this.refuse('revoked', 'REGISTRATION_REFUSED');
        throw error;
      }
      this.agent = { agentId: registration.agentId, agentToken: registration.agentToken };
      this.intervals = pickIntervals(registration, this.intervals);
      await this.tokenStore.save(this.agent);
      this.logger.log(`Registered with Opstage as ${registration.agentId}`);
    }
    if (!this.serviceId || this.reportDue) await this.report();
    return true;
  }

  /** Reports the service (replacing its configs and actions in Opstage) and learns its id. */
  async report(): Promise<void> {
    if (!this.agent) return;
    this.reportDue = true;
    const { services } = await this.client.reportServices(this.agent.agentToken, this.agent.agentId, [await this.service()]);
    this.reportDue = false;
    this.serviceId = services.find((service) => service.code === this.config.serviceCode)?.id ?? services[0]?.id ?? null;
    await this.contact();
  }

  private async poll(): Promise<void> {
    await this.deliverOutbox();
    const commands = await this.client.pollCommands(this.agent!.agentToken, this.agent!.agentId, 10);
    await this.contact();
    for (const command of commands) await this.handle(command);
  }

  /** Results kept while Opstage could not take them, oldest first; each ends on delivery, 404 or 409. */
  private async deliverOutbox(): Promise<void> {
    for (const entry of await this.outbox.due()) {
      try {
        await this.client.reportResult(this.agent!.agentToken, this.agent!.agentId, entry.commandId, entry.result);
      } catch (error) {
        if (!isFinalForCommand(error)) {
          await this.outbox.failedAgain(entry);
          throw error;
        }
      }
      await this.outbox.delivered(entry.commandId);
    }
  }

  private async heartbeat(): Promise<void> {
    const answer = await this.client.heartbeat(
      this.agent!.agentToken,
      this.agent!.agentId,
      this.serviceId ?? undefined,
      await this.health.current(),
    );
    this.intervals = pickIntervals(answer, this.intervals);
    await this.contact();
  }

  /**
   * Runs one command and delivers its result. A result Opstage cannot take now goes to the outbox
   * (the rest of the batch still runs); 404/409 mean the command was cancelled or expired meanwhile.
   */
  private async handle(command: Command): Promise<void> {
    const result = command.type === 'ACTION_PREPARE' ? await this.actions.prepare(command) : await this.actions.execute(command);
    try {
      await this.client.reportResult(this.agent!.agentToken, this.agent!.agentId, command.id, result);
    } catch (error) {
      if (!isFinalForCommand(error)) {
        await this.outbox.keep(command.id, result);
        this.logger.warn(`The result of command ${command.id} could not be delivered (${describe(error)}); kept for redelivery`);
      }
    }
    if (command.type === 'ACTION_EXECUTE' && result.success) {
      if (this.actions.changesReportedState(command.actionName)) this.reportDue = true;
      this.heartbeatSoon();
    }
  }

  /** Any accepted call means Opstage accepts the agent: the data plane may run. */
  private async contact(): Promise<void> {
    this.lastContactAt = new Date();
    this.lastError = null;
    if (!this.integration.enabled) {
      this.integration.enable();
      this.logger.log('Opstage accepts the agent again; upstream calls resumed');
      this.heartbeatSoon();
    } else if (this.integration.state().verdictSource !== 'opstage') {
      this.integration.enable();
    }
    await this.persistVerdict('enabled', null);
  }

  /** Opstage refused the agent (disabled, token revoked, registration refused): off, and it stays off through restarts. */
  private async refuse(verdict: Exclude<Verdict, 'enabled'>, reason: string): Promise<void> {
    if (this.integration.enabled)
      this.logger.warn(`Opstage refused this agent (${reason}); upstream calls are refused until Opstage accepts it again`);
    this.integration.disable(reason);
    await this.persistVerdict(verdict, reason);
  }

  /** Writes the verdict when it changed; a database hiccup is retried with the next answer from Opstage. */
  private async persistVerdict(verdict: Verdict, reason: string | null): Promise<void> {
    if (this.storedVerdict === verdict) return;
    try {
      await this.verdicts.save(verdict, reason);
      this.storedVerdict = verdict;
    } catch (error) {
      this.logger.warn(`Could not persist Opstage's verdict (${verdict}): ${describe(error)}`);
    }
  }

  /** Decides what a failed call means and how long to wait before the next try. */
  private async onFailure(error: unknown, intervalMs: number): Promise<number> {
    const opstage = error instanceof OpstageError ? error : undefined;
    this.lastError = describe(error);
    if (opstage?.agentDisabled) {
      await this.refuse('disabled', 'AGENT_DISABLED');
      return intervalMs;
    }
    if (opstage?.tokenRejected) {
      await this.refuse('revoked', 'AGENT_TOKEN_REJECTED');
      if (this.config.registrationToken && this.agent) {
        // The token was revoked: forget it so the next tick registers again with the registration token.
        this.agent = null;
        this.serviceId = null;
        void this.tokenStore.clear();
      }
    } else if (!opstage?.registrationRefused) {
      this.logger.warn(`Opstage call failed: ${this.lastError}`);
    }
    this.consecutiveFailures++;
    return backoffMs(intervalMs, this.consecutiveFailures);
  }

  private async service(): Promise<ReportedService> {
    const snapshot = await this.configReport.snapshot();
    const identity = {
      code: this.config.serviceCode,
      name: this.config.serviceName,
      description: 'Credential-secured gateway to external AI APIs',
      version: readServiceVersion().version,
      runtime: 'nodejs' as const,
    };
    return {
      ...identity,
      // The Capsule manifest, as the Capsule agent SDK sends it (later Opstage versions validate it).
      manifest: {
        kind: 'CapsuleService',
        ...identity,
        agentMode: 'embedded',
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

/** 404/409: the command was cancelled, expired or completed meanwhile; there is nothing left to deliver. */
function isFinalForCommand(error: unknown): boolean {
  return error instanceof OpstageError && (error.status === 404 || error.status === 409);
}

function describe(error: unknown): string {
  return error instanceof OpstageError ? `${error.code} (HTTP ${error.status})` : error instanceof Error ? error.message : String(error);
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
