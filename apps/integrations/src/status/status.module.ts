import { Module, type DynamicModule } from '@nestjs/common';
import { ExecutionLogModule } from '@app/execution-log';
import { ProvidersModule } from '@app/providers';
import { HealthController } from '../health/health.controller.js';
import { StatusService } from './status.service.js';

/** Probes (/health/*) and the service's status, which includes the ops agent's. */
@Module({})
export class StatusModule {
  static register(opsAgent: DynamicModule): DynamicModule {
    return {
      module: StatusModule,
      imports: [ProvidersModule, ExecutionLogModule, opsAgent],
      controllers: [HealthController],
      providers: [StatusService],
      exports: [StatusService],
    };
  }
}
