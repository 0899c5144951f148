import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TimeRangeQueryDto, UserProviderFilterDto } from '../http/query.dto.js';

export const SERIES_BUCKETS = ['hour', 'day'] as const;
export const SERIES_DIMENSIONS = ['provider', 'model', 'user', 'operation', 'outcome'] as const;

/** Defaults: the last 7 days, in hours, by provider. */
export class UsageSeriesQueryDto extends IntersectionType(TimeRangeQueryDto, UserProviderFilterDto) {
  @ApiPropertyOptional({ enum: SERIES_BUCKETS, default: 'hour' })
  @IsOptional()
  @IsIn(SERIES_BUCKETS)
  bucket: (typeof SERIES_BUCKETS)[number] = 'hour';

  @ApiPropertyOptional({ enum: SERIES_DIMENSIONS, default: 'provider', description: 'outcome: ok, cached or the error code' })
  @IsOptional()
  @IsIn(SERIES_DIMENSIONS)
  groupBy: (typeof SERIES_DIMENSIONS)[number] = 'provider';
}

/** Defaults: the last 24 hours. */
export class UsageLatencyQueryDto extends IntersectionType(TimeRangeQueryDto, UserProviderFilterDto) {}

class ScopeDto {
  @ApiProperty({ enum: ['all', 'organization', 'user'] }) kind: 'all' | 'organization' | 'user';
  @ApiProperty({ type: String, nullable: true }) id: string | null;
}

class SeriesPointDto {
  @ApiProperty() calls: number;
  @ApiProperty() errors: number;
  @ApiProperty() cachedCalls: number;
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty() totalTokens: number;
  @ApiProperty({ description: 'USD for the calls that reached the provider, priced models only' }) estimatedCostUsd: number;
}

class SeriesDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The group (provider, model, user, operation or outcome); "other" folds the smallest',
  })
  key: string | null;
  @ApiProperty({ type: SeriesPointDto }) totals: SeriesPointDto;
  @ApiProperty({ type: [SeriesPointDto], description: 'One point per bucket, in bucket order' }) points: SeriesPointDto[];
}

export class UsageSeriesResponseDto {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ enum: SERIES_BUCKETS }) bucket: string;
  @ApiProperty({ enum: SERIES_DIMENSIONS }) groupBy: string;
  @ApiProperty({ type: ScopeDto }) scope: ScopeDto;
  @ApiProperty({ type: [String], description: 'Bucket starts (ISO 8601, UTC)' }) buckets: string[];
  @ApiProperty({ type: [SeriesDto], description: 'Largest groups first' }) series: SeriesDto[];
}

class LatencyDto {
  @ApiProperty() provider: string;
  @ApiProperty() calls: number;
  @ApiProperty() meanMs: number;
  @ApiProperty() maxMs: number;
  @ApiProperty({ type: Number, nullable: true, description: 'From the rollups’ latency histogram, interpolated' }) p50Ms: number | null;
  @ApiProperty({ type: Number, nullable: true }) p95Ms: number | null;
  @ApiProperty({ type: Number, nullable: true }) p99Ms: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean time spent in the gateway itself (whole answers)' }) overheadMeanMs:
    number | null;
}

export class UsageLatencyResponseDto {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: ScopeDto }) scope: ScopeDto;
  @ApiProperty({ type: [LatencyDto] }) items: LatencyDto[];
}

class RateLimitHeadroomDto {
  @ApiProperty({ enum: ['user', 'org'] }) scope: string;
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['requests', 'tokens'] }) kind: string;
  @ApiProperty() limitPerMinute: number;
  @ApiProperty() used: number;
  @ApiProperty() remaining: number;
  @ApiProperty() resetMs: number;
}

class BudgetHeadroomDto {
  @ApiProperty({ enum: ['user', 'org'] }) scope: string;
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['daily', 'monthly'] }) period: string;
  @ApiProperty() capUsd: number;
  @ApiProperty() spentUsd: number;
  @ApiProperty() remainingUsd: number;
}

export class LimitsResponseDto {
  @ApiProperty({ description: 'False while the counter store (Redis) cannot be read: the lists are then empty' }) available: boolean;
  @ApiProperty({ type: [RateLimitHeadroomDto], description: 'Configured per-minute limits of the caller and their organization' })
  rateLimits: RateLimitHeadroomDto[];
  @ApiProperty({ type: [BudgetHeadroomDto], description: 'Configured spend caps of the caller and their organization' })
  budgets: BudgetHeadroomDto[];
}
