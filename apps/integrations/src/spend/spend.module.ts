import { Module } from '@nestjs/common';
import { ExecutionLogModule } from '@app/execution-log';
import { LimitsModule } from '@app/limits';
import { ProvidersModule } from '@app/providers';
import { CostEstimator } from './cost-estimator.js';
import { SpendController } from './spend.controller.js';
import { UsageInsights } from './usage-insights.js';
import { UsageInsightsController } from './usage-insights.controller.js';

/** /api/integrations/usage (and its series and latency), /limits and /estimate. */
@Module({
  imports: [ExecutionLogModule, LimitsModule, ProvidersModule],
  controllers: [SpendController, UsageInsightsController],
  providers: [CostEstimator, UsageInsights],
})
export class SpendModule {}
