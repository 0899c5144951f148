import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@app/auth';
import { UsageSeriesQuery } from '@app/execution-log';
import { BudgetGuard, RateLimiter } from '@app/limits';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { describeVisibility, visibilityOf } from '../http/visibility.js';
import { alignedRange, UsageInsights } from './usage-insights.js';
import {
  LimitsResponseDto,
  UsageLatencyQueryDto,
  UsageLatencyResponseDto,
  UsageSeriesQueryDto,
  UsageSeriesResponseDto,
} from './usage-insights.dto.js';

const HOUR_MS = 3_600_000;

/** What the dashboard draws: usage over time, latency and limit headroom, in the caller's scope. */
@ApiTags('spend')
@ApiAuthenticated()
@Controller('api/integrations')
export class UsageInsightsController {
  constructor(
    private readonly insights: UsageInsights,
    private readonly rollups: UsageSeriesQuery,
    private readonly rateLimiter: RateLimiter,
    private readonly budgets: BudgetGuard,
  ) {}

  @Get('usage/series')
  @ApiOperation({
    summary: 'Calls, tokens, estimated cost and errors over time, by provider, model, user, operation or outcome',
    description: 'From the hourly rollups; the range is widened to whole buckets. Same scope as /usage.',
  })
  @ApiOkResponse({ type: UsageSeriesResponseDto })
  async series(@CurrentCaller() caller: Caller, @Query() query: UsageSeriesQueryDto): Promise<UsageSeriesResponseDto> {
    const scope = visibilityOf(caller);
    const series = await this.insights.series({ ...query, scope });
    return { ...series, bucket: query.bucket, groupBy: query.groupBy, scope: describeVisibility(scope) };
  }

  @Get('usage/latency')
  @ApiOperation({
    summary: 'Latency percentiles, mean, max and the gateway’s own overhead per provider',
    description: 'From the hourly rollups’ latency histograms (percentiles interpolated within buckets); defaults to the last 24 hours.',
  })
  @ApiOkResponse({ type: UsageLatencyResponseDto })
  async latency(@CurrentCaller() caller: Caller, @Query() query: UsageLatencyQueryDto): Promise<UsageLatencyResponseDto> {
    const scope = visibilityOf(caller);
    const { from, to } = alignedRange(query.from, query.to, HOUR_MS, 24 * HOUR_MS);
    const items = await this.rollups.latency({ scope, from, to, userId: query.userId, provider: query.provider });
    return { from, to, scope: describeVisibility(scope), items };
  }

  @Get('limits')
  @ApiOperation({ summary: 'Rate-limit and budget headroom of the caller and their organization (configured limits only)' })
  @ApiOkResponse({ type: LimitsResponseDto })
  async limits(@CurrentCaller() caller: Caller): Promise<LimitsResponseDto> {
    const subject = { userId: caller.userId, orgId: caller.orgId };
    try {
      const [rateLimits, budgets] = await Promise.all([this.rateLimiter.headroom(subject), this.budgets.headroom(subject)]);
      return { available: true, rateLimits, budgets };
    } catch {
      // The counter store reports its own outage; headroom is simply unknown meanwhile.
      return { available: false, rateLimits: [], budgets: [] };
    }
  }
}
