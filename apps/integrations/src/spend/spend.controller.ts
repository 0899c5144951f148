import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@app/auth';
import { ExecutionLogQuery } from '@app/execution-log';
import { PricingTable, roundUsd } from '@app/limits';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { ExecuteRequestDto } from '../integrations/dto/execute-request.dto.js';
import { ParseExecuteRequestPipe, type ExecuteRequest } from '../execute/execute-request.js';
import { CostEstimator } from './cost-estimator.js';
import { EstimateResponseDto, UsageQueryDto, UsageResponseDto } from './spend.dto.js';
import { describeVisibility, visibilityOf } from '../http/visibility.js';

@ApiTags('spend')
@ApiAuthenticated()
@Controller('api/integrations')
export class SpendController {
  constructor(
    private readonly executionLogs: ExecutionLogQuery,
    private readonly pricing: PricingTable,
    private readonly estimator: CostEstimator,
  ) {}

  @Get('usage')
  @ApiOperation({
    summary: 'Tokens and estimated cost by user, org, provider and model over a time range',
    description:
      "Operators and admins see every caller's; an organization's admin or owner (and a platform service acting in an organization) that organization's; anyone else their own calls.",
  })
  @ApiOkResponse({ type: UsageResponseDto })
  async usage(@CurrentCaller() caller: Caller, @Query() query: UsageQueryDto): Promise<UsageResponseDto> {
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
    const scope = visibilityOf(caller);
    const rows = await this.executionLogs.usage({ scope, from, to, userId: query.userId, provider: query.provider });
    const items = rows.map(({ billed, ...row }) => ({
      ...row,
      estimatedCostUsd: row.model ? this.pricing.costOf(row.model, billed) : null,
    }));
    const totals = items.reduce(
      (sum, item) => ({
        calls: sum.calls + item.calls,
        promptTokens: sum.promptTokens + item.promptTokens,
        completionTokens: sum.completionTokens + item.completionTokens,
        totalTokens: sum.totalTokens + item.totalTokens,
        estimatedCostUsd: roundUsd(sum.estimatedCostUsd + (item.estimatedCostUsd ?? 0)),
      }),
      { calls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, estimatedCostUsd: 0 },
    );
    return { from, to, scope: describeVisibility(scope), items, totals };
  }

  @Post('estimate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Predict the cost of an execute request without making it (same body as execute)' })
  @ApiBody({ type: ExecuteRequestDto })
  @ApiOkResponse({ type: EstimateResponseDto })
  estimate(@Body(ParseExecuteRequestPipe) request: ExecuteRequest): EstimateResponseDto {
    return this.estimator.estimate(request);
  }
}
