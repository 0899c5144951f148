import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { opsAgentConfig, type OpsAgentConfig } from '../ops-agent.config.js';
import type { Command, CommandResult, Intervals, Registration, ReportedHealth, ReportedService } from './opstage-contract.js';

/** An Opstage answer other than success: HTTP status and the envelope's error code (or NETWORK). */
export class OpstageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OpstageError';
  }

  get agentDisabled(): boolean {
    return this.status === 403 && this.code === 'AGENT_DISABLED';
  }

  /** Our agent token was refused (revoked, or unknown). */
  get tokenRejected(): boolean {
    return this.status === 401 && this.code !== 'REGISTRATION_TOKEN_INVALID';
  }

  /** The registration token was refused (unknown, used or expired: they are single use). */
  get registrationRefused(): boolean {
    return this.status === 401 && this.code === 'REGISTRATION_TOKEN_INVALID';
  }
}

/**
 * Outbound calls to Opstage, exactly as the agent protocol states (Opstage never calls us).
 * Control-plane traffic, so @nestjs/axios; the agent token is passed per call and never logged.
 */
@Injectable()
export class OpstageClient {
  private readonly baseUrl: string;

  constructor(
    private readonly http: HttpService,
    @Inject(opsAgentConfig.token) config: OpsAgentConfig,
  ) {
    this.baseUrl = config.opstage?.backendUrl ?? '';
  }

  register(body: {
    registrationToken: string;
    agent: { code: string; name?: string; mode: 'embedded'; runtime?: string };
    service?: ReportedService;
  }): Promise<Registration> {
    return this.call<Registration>('POST', '/api/agents/register', undefined, body);
  }

  heartbeat(token: string, agentId: string, serviceId: string | undefined, health: ReportedHealth): Promise<Intervals> {
    return this.call<Intervals>('POST', `/api/agents/${agentId}/heartbeat`, token, serviceId ? { serviceId, health } : {});
  }

  reportServices(token: string, agentId: string, services: ReportedService[]): Promise<{ services: Array<{ id: string; code: string }> }> {
    return this.call('POST', `/api/agents/${agentId}/services/report`, token, { services });
  }

  pollCommands(token: string, agentId: string, limit = 10): Promise<Command[]> {
    return this.call<Command[]>('GET', `/api/agents/${agentId}/commands?limit=${limit}`, token);
  }

  reportResult(token: string, agentId: string, commandId: string, result: CommandResult): Promise<unknown> {
    return this.call('POST', `/api/agents/${agentId}/commands/${encodeURIComponent(commandId)}/result`, token, result);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<T> {
    try {
      const response = await firstValueFrom(
        this.http.request<{ success: boolean; data: T }>({
          method,
          url: `${this.baseUrl}${path}`,
          data: body,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          timeout: 10_000,
        }),
      );
      return response.data.data;
    } catch (error) {
      const axiosError = error as AxiosError<{ error?: { code?: string; message?: string } }>;
      const status = axiosError.response?.status ?? 0;
      const envelope = axiosError.response?.data?.error;
      throw new OpstageError(
        status,
        envelope?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`),
        envelope?.message ?? axiosError.message,
      );
    }
  }
}
