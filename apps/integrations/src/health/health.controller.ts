import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { Public } from '@app/auth';
import { CLOCK, withTimeout, type Clock } from '@app/common';
import { IntegrationSwitch } from '@app/providers';

const DATABASE_PING_TIMEOUT_MS = 2000;

type IndicatorStatus = { status: 'up' | 'down' };
interface ReadinessBody {
  /** ok: everything up; degraded: serving without the database; error: not serving (disabled by the control plane). */
  status: 'ok' | 'degraded' | 'error';
  info: Record<string, IndicatorStatus>;
  error: Record<string, IndicatorStatus>;
  details: Record<string, IndicatorStatus>;
}

/**
 * Kubernetes probes. Public, so they say up or down and nothing else (no hosts, ports or reasons:
 * /api/integrations/status has those for authenticated callers). Liveness looks at the process
 * only; readiness fails only when this instance must not serve (the control plane disabled it). A
 * database outage makes it `degraded`, not unready: calls keep being served from what is in memory
 * (see the README's failure behaviour), and taking every replica out of the load balancer at once
 * would turn a database blip into an outage for everyone.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integration: IntegrationSwitch,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Service health as the platform’s callers check it: 200 while serving, 503 while disabled by the control plane',
  })
  @ApiResponse({ status: 200, description: '{"status":"ok","timestamp":"2026-11-30T12:00:00.000Z"}' })
  @ApiResponse({ status: 503, description: '{"status":"degraded","timestamp":"…","reason":"…"}' })
  health(@Res({ passthrough: true }) reply: FastifyReply): { status: 'ok' | 'degraded'; timestamp: string; reason?: string } {
    const timestamp = new Date(this.clock()).toISOString();
    const integration = this.integration.state();
    if (integration.enabled) return { status: 'ok', timestamp };
    void reply.status(503);
    return { status: 'degraded', timestamp, reason: 'disabled by the control plane' };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiResponse({ status: 200, description: '{"status":"ok","info":{},"error":{},"details":{}}' })
  live(): ReadinessBody {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: 503 only when the control plane has disabled the gateway; a database outage is reported as degraded',
  })
  @ApiResponse({
    status: 200,
    description: '{"status":"ok"|"degraded","info":{"database":{"status":"up"},"integration":{"status":"up"}},…}',
  })
  @ApiResponse({ status: 503, description: '{"status":"error","error":{"integration":{"status":"down"}},…}' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessBody> {
    const details: Record<string, IndicatorStatus> = {
      database: { status: (await this.databaseAnswers()) ? 'up' : 'down' },
      integration: { status: this.integration.state().enabled ? 'up' : 'down' },
    };
    const entries = Object.entries(details);
    const body: ReadinessBody = {
      status: details.integration.status === 'down' ? 'error' : details.database.status === 'down' ? 'degraded' : 'ok',
      info: Object.fromEntries(entries.filter(([, indicator]) => indicator.status === 'up')),
      error: Object.fromEntries(entries.filter(([, indicator]) => indicator.status === 'down')),
      details,
    };
    if (body.status === 'error') void reply.status(503);
    return body;
  }

  private async databaseAnswers(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), DATABASE_PING_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }
}
