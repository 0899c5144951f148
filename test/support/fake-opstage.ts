import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, createBufferingServer, listenOnLoopback, loopbackUrl, sendJson } from './loopback-server.js';

const REDACT = /token|secret|password|cookie|authorization|api[-_]?key\b|generatedKey|rawKey|plainTextKey/i;

interface Agent {
  id: string;
  code: string;
  tokens: Set<string>;
  disabled: boolean;
}

export interface FakeCommand {
  id: string;
  agentId: string;
  type: 'ACTION_PREPARE' | 'ACTION_EXECUTE';
  actionName: string;
  payload: Record<string, unknown>;
  createdByUserId?: string;
  status: 'PENDING' | 'RUNNING' | 'COMPLETED';
  /** Simulates an operator cancelling it right after the agent picked it up. */
  cancelOnPoll?: boolean;
  result?: { success: boolean; message?: string; data?: any; error?: { code: string; message: string } };
}

/**
 * A real HTTP server on 127.0.0.1 implementing the Opstage agent protocol
 * (shared/contracts/opstage-agent.md) as Opstage CE 0.4 behaves: envelopes, 401/403/409 answers, the
 * redaction rule, single-use registration tokens, revocation, event-bus wrappers, and payloads
 * stored verbatim.
 */
export class FakeOpstage {
  readonly registrations: Array<{ registrationToken: string; code: string }> = [];
  readonly heartbeats: Array<{ agentId: string; serviceId?: string; health?: any }> = [];
  readonly reports: Array<{ agentId: string; services: any[] }> = [];
  readonly commands: FakeCommand[] = [];
  readonly rawBodies: string[] = [];
  /** Opstage keeps every command payload verbatim in its database: this is that table, serialized. */
  readonly storedPayloads: string[] = [];
  /** The next this-many result reports are answered 503, as an Opstage having a bad moment does. */
  failResults = 0;
  /** The next this-many service reports are answered 503. */
  failReports = 0;
  intervals = { heartbeatIntervalSeconds: 0.2, commandPollIntervalSeconds: 0.05 };
  private readonly registrationTokens = new Set<string>();
  private readonly agents = new Map<string, Agent>();
  private readonly server: Server;

  private constructor() {
    this.server = createBufferingServer((req, res, text) => this.handle(req, res, text));
  }

  static async start(port = 0): Promise<FakeOpstage> {
    const fake = new FakeOpstage();
    await listenOnLoopback(fake.server, port);
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  issueRegistrationToken(): string {
    const token = `opstage_reg_${randomUUID()}`;
    this.registrationTokens.add(token);
    return token;
  }

  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  setDisabled(agentId: string, disabled: boolean): void {
    this.agents.get(agentId)!.disabled = disabled;
  }

  revokeTokens(agentId: string): void {
    this.agents.get(agentId)!.tokens.clear();
  }

  enqueue(agentId: string, command: Omit<FakeCommand, 'id' | 'agentId' | 'status'>): FakeCommand {
    const stored: FakeCommand = { ...command, id: `cmd_${randomUUID()}`, agentId, status: 'PENDING' };
    this.storedPayloads.push(JSON.stringify(command.payload));
    this.commands.push(stored);
    return stored;
  }

  /** A command created by Opstage's event bus: no createdByUserId, the action's input wrapped as `{busEvent, mapping, payload}`. */
  enqueueFromBus(agentId: string, actionName: string, payload: Record<string, unknown>): FakeCommand {
    return this.enqueue(agentId, {
      type: 'ACTION_EXECUTE',
      actionName,
      payload: {
        busEvent: { type: 'provider.degraded', source: 'monitoring', occurredAt: new Date().toISOString() },
        mapping: { provider: '$.provider' },
        payload,
      },
    });
  }

  /** Resolves once `command` has a result (or fails after `timeoutMs`). */
  async completed(command: FakeCommand, timeoutMs = 5000): Promise<NonNullable<FakeCommand['result']>> {
    await waitFor(() => command.status === 'COMPLETED', timeoutMs, `command ${command.actionName} to complete`);
    return command.result!;
  }

  lastReportedService(): any {
    return this.reports.at(-1)?.services[0];
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    this.rawBodies.push(text);
    const body = text ? JSON.parse(text) : undefined;
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/agents/register') return this.register(res, body);
    const match = /^\/api\/agents\/([^/]+)\/(heartbeat|services\/report|commands)(?:\/([^/]+)\/result)?$/.exec(url.pathname);
    if (!match) return fail(res, 404, 'NOT_FOUND', 'No route');
    const agent = this.authenticate(req, res, match[1]);
    if (!agent) return;
    const [, , kind, commandId] = match;
    if (kind === 'heartbeat' && req.method === 'POST') {
      this.heartbeats.push({ agentId: agent.id, serviceId: body?.serviceId, health: body?.health ? redact(body.health) : undefined });
      return ok(res, this.intervals);
    }
    if (kind === 'services/report' && req.method === 'POST') {
      if (this.failReports > 0) {
        this.failReports--;
        return fail(res, 503, 'INTERNAL_ERROR', 'Try again');
      }
      const services = body?.services;
      if (
        !Array.isArray(services) ||
        services.some((service) => !/^[a-z0-9][a-z0-9_-]*$/.test(service?.code ?? '') || typeof service.manifest !== 'object')
      ) {
        return fail(res, 500, 'INTERNAL_ERROR', 'Invalid body'); // Opstage's quirk for schema failures
      }
      const stored = services.map((service: any) => ({
        ...service,
        manifest: redact(service.manifest),
        health: service.health ? redact(service.health) : undefined,
        id: `svc_${agent.id}_${service.code}`,
      }));
      this.reports.push({ agentId: agent.id, services: stored });
      return ok(res, { services: stored });
    }
    if (kind === 'commands' && req.method === 'GET' && !commandId) {
      const limit = Math.min(10, Math.max(1, Number(url.searchParams.get('limit') ?? 1)));
      const pending = this.commands.filter((command) => command.agentId === agent.id && command.status === 'PENDING').slice(0, limit);
      for (const command of pending) command.status = command.cancelOnPoll ? 'COMPLETED' : 'RUNNING';
      return ok(
        res,
        pending.map(({ status: _status, result: _result, cancelOnPoll: _cancel, ...command }) => command),
      );
    }
    if (kind === 'commands' && commandId && req.method === 'POST') {
      const command = this.commands.find((candidate) => candidate.id === commandId && candidate.agentId === agent.id);
      if (!command) return fail(res, 404, 'COMMAND_NOT_FOUND', 'Command not found');
      if (command.status === 'COMPLETED') return fail(res, 409, 'COMMAND_ALREADY_COMPLETED', 'Already completed');
      if (this.failResults > 0) {
        this.failResults--;
        return fail(res, 503, 'INTERNAL_ERROR', 'Try again');
      }
      command.result = redact(body);
      command.status = 'COMPLETED';
      return ok(res, { id: command.id });
    }
    fail(res, 404, 'NOT_FOUND', 'No route');
  }

  private register(res: ServerResponse, body: any): void {
    const token = body?.registrationToken;
    if (!this.registrationTokens.delete(token)) return fail(res, 401, 'REGISTRATION_TOKEN_INVALID', 'Registration token is invalid');
    this.registrations.push({ registrationToken: token, code: body.agent.code });
    let agent = [...this.agents.values()].find((candidate) => candidate.code === body.agent.code);
    if (!agent) {
      agent = { id: `agt_${randomUUID().slice(0, 8)}`, code: body.agent.code, tokens: new Set(), disabled: false };
      this.agents.set(agent.id, agent);
    }
    agent.tokens.clear(); // re-registering revokes older agent tokens
    const agentToken = `opstage_agent_${randomUUID()}`;
    agent.tokens.add(agentToken);
    ok(res, { agentId: agent.id, agentToken, ...this.intervals });
  }

  private authenticate(req: IncomingMessage, res: ServerResponse, agentId: string): Agent | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return void fail(res, 401, 'UNAUTHORIZED', 'Missing Agent token.');
    const agent = this.agents.get(agentId);
    if (!agent || !agent.tokens.has(token)) return void fail(res, 401, 'UNAUTHORIZED', 'Invalid Agent token.');
    if (agent.disabled) return void fail(res, 403, 'AGENT_DISABLED', 'Agent is disabled.');
    return agent;
  }
}

/** Opstage's redaction rule, applied to what it stores. */
function redact(value: any): any {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, REDACT.test(key) ? '[REDACTED]' : redact(item)]));
}

function ok(res: ServerResponse, data: unknown): void {
  sendJson(res, 200, { success: true, data });
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { success: false, error: { code, message } });
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
