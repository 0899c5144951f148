import { Module } from '@nestjs/common';
import { ExecutionLogModule } from '@app/execution-log';
import { LimitsModule } from '@app/limits';
import { ProvidersModule } from '@app/providers';
import { CostEstimator } from './cost-estimator.js';
import { SpendController } from './spend.controller.js';

/** /api/integrations/usage and /estimate. */
@Module({ imports: [ExecutionLogModule, LimitsModule, ProvidersModule], controllers: [SpendController], providers: [CostEstimator] })
export class SpendModule {}
