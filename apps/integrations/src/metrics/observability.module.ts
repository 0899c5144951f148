import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CatalogModule } from '@app/catalog';
import { ExecutionLogModule } from '@app/execution-log';
import { LimitsModule } from '@app/limits';
import { ProvidersModule } from '@app/providers';
import { CallLogger, ROOT_LOGGER } from '../logging/call-logger.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { Tracing } from '../tracing/tracing.js';
import { MetricsController } from './metrics.controller.js';

/** Metrics (and GET /metrics) and the per-call log line: what every feature reports through. */
@Module({})
export class ObservabilityModule {
  static register(rootLogger: Logger): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [ProvidersModule, ExecutionLogModule, CatalogModule, LimitsModule],
      controllers: [MetricsController],
      providers: [GatewayMetrics, CallLogger, Tracing, { provide: ROOT_LOGGER, useValue: rootLogger }],
      exports: [GatewayMetrics, CallLogger, Tracing],
    };
  }
}
