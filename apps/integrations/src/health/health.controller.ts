import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { IntegrationSwitch } from '@app/ops-agent';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';

/** Kubernetes probes. Liveness looks at the process only, so a database outage never restarts pods. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly integration: IntegrationSwitch,
  ) {}

  private integrationCheck(): HealthIndicatorResult {
    const indicator = this.indicators.check('integration');
    const state = this.integration.state();
    return state.enabled ? indicator.up() : indicator.down({ reason: state.reason });
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiResponse({ status: 200, description: '{"status":"ok","info":{},"error":{},"details":{}}' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers a ping and the control plane has not disabled the gateway' })
  @ApiResponse({ status: 200, description: '{"status":"ok","info":{"database":{"status":"up"}},…}' })
  @ApiResponse({ status: 503, description: '{"status":"error","error":{"database":{"status":"down"}},…}' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.integrationCheck()]);
    } catch (error) {
      // Keep Terminus' per-check body on 503: probes read the status, operators read the body.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }
}
