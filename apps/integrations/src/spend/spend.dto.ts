import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { TimeRangeQueryDto, UserProviderFilterDto } from '../http/query.dto.js';

/** Defaults: from the start of the current UTC month, to now. */
export class UsageQueryDto extends IntersectionType(TimeRangeQueryDto, UserProviderFilterDto) {}

class UsageItemDto {
  @ApiProperty() userId: string;
  @ApiProperty({ type: String, nullable: true }) orgId: string | null;
  @ApiProperty() provider: string;
  @ApiProperty({ type: String, nullable: true }) model: string | null;
  @ApiProperty() calls: number;
  @ApiProperty() failedCalls: number;
  @ApiProperty({ description: 'Answered from the response cache: counted, not priced' }) cachedCalls: number;
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty() totalTokens: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'USD from the pricing table for the calls that reached the provider; null for unpriced models',
  })
  estimatedCostUsd: number | null;
}

class UsageScopeDto {
  @ApiProperty({ enum: ['all', 'organization', 'user'], description: 'Whose calls these are: everyone, an organization, or the caller' })
  kind: 'all' | 'organization' | 'user';
  @ApiProperty({ type: String, nullable: true }) id: string | null;
}

export class UsageResponseDto {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: UsageScopeDto }) scope: UsageScopeDto;
  @ApiProperty({ type: [UsageItemDto] }) items: UsageItemDto[];
  @ApiProperty({ example: { calls: 10, totalTokens: 2900, estimatedCostUsd: 0.0021 } })
  totals: { calls: number; promptTokens: number; completionTokens: number; totalTokens: number; estimatedCostUsd: number };
}

export class EstimateResponseDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({ example: 12, description: 'Estimated from the text (about four characters a token)' }) promptTokens: number;
  @ApiProperty({ type: Number, nullable: true, example: 256, description: 'maxTokens (or the provider default); null when unbounded' })
  maxCompletionTokens: number | null;
  @ApiProperty({ example: true, description: 'Whether the model is in the pricing table' }) priced: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Cost of the prompt alone' }) minCostUsd: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Cost if the completion uses all maxCompletionTokens; null when unbounded or unpriced',
  })
  maxCostUsd: number | null;
}
