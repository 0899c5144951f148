import { Module, type DynamicModule } from '@nestjs/common';
import { AuditController } from './audit.controller.js';

/** /api/integrations/audit: what operators did, read from the ops agent's audit log. */
@Module({})
export class AuditModule {
  static register(opsAgent: DynamicModule): DynamicModule {
    return { module: AuditModule, imports: [opsAgent], controllers: [AuditController] };
  }
}
