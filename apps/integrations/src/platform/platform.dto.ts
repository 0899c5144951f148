import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const CAPABILITY_LIST = /^[A-Za-z0-9_,. -]*$/;

export class ModelsQueryDto {
  @ApiPropertyOptional({ example: 'chat,vision', description: 'Comma-separated; a model having any of them is listed' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(CAPABILITY_LIST, { message: 'capability must be a comma-separated list of capability names' })
  capability?: string;
}

export class AllModelsQueryDto extends ModelsQueryDto {
  @ApiPropertyOptional({
    enum: ['chat', 'llm', 'embedding', 'embeddings', 'vision'],
    description: 'chat|llm → chat and reasoning models; embedding(s) → embedding; vision → vision. `capability` wins.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  purpose?: string;
}

export class ModelInfoDto {
  @ApiProperty({ example: 'gpt-4o-mini' }) id: string;
  @ApiProperty({ example: 'GPT-4o mini' }) name: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ example: 128000 }) contextWindow?: number;
  @ApiPropertyOptional({ example: 16384 }) maxOutputTokens?: number;
  @ApiProperty({ example: ['chat', 'vision', 'function_calling'], type: [String] }) capabilities: string[];
  @ApiPropertyOptional({ example: 0.15, description: 'USD per 1M prompt tokens; absent = unpriced' }) inputPricing?: number;
  @ApiPropertyOptional({ example: 0.6, description: 'USD per 1M completion tokens; absent = unpriced' }) outputPricing?: number;
  @ApiPropertyOptional() deprecated?: boolean;
}

export class ProviderModelsDto {
  @ApiProperty({ type: [ModelInfoDto], description: "models[0] is the provider's default" }) models: ModelInfoDto[];
}

export class AllModelsDto {
  @ApiProperty({ example: { openai: [{ id: 'gpt-4o-mini', provider: 'openai', capabilities: ['chat'] }] } })
  models: Record<string, Array<ModelInfoDto & { provider: string }>>;
  @ApiProperty({ type: [ModelInfoDto] }) all: Array<ModelInfoDto & { provider: string }>;
}

export class RateLimitsDto {
  @ApiPropertyOptional() requestsPerMinute?: number;
  @ApiPropertyOptional() tokensPerMinute?: number;
}

export class ProviderConfigDto {
  @ApiProperty({ example: 'openai' }) name: string;
  @ApiProperty({ example: 'OpenAI' }) displayName: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'https://api.openai.com/v1' }) baseUrl: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) defaultModel: string;
  @ApiProperty({ example: ['chat.completions', 'image.description', 'embeddings', 'responses'], type: [String] })
  supportedOperations: string[];
  @ApiPropertyOptional({ type: RateLimitsDto }) rateLimits?: RateLimitsDto;
}

class AccessDto {
  @ApiProperty() hasCredential: boolean;
  @ApiProperty({ enum: ['personal', 'org-wide', 'none'] }) credentialSource: string;
  @ApiProperty() isEnabled: boolean;
  @ApiProperty({ type: String, nullable: true, example: null }) lastUsedAt: null;
}

export class ProviderCapabilityDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'OpenAI' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty() baseUrl: string;
  @ApiProperty() defaultModel: string;
  @ApiProperty({ type: [String] }) supportedOperations: string[];
  @ApiProperty({ type: [ModelInfoDto] }) models: ModelInfoDto[];
  @ApiProperty({ type: AccessDto }) access: AccessDto;
  @ApiPropertyOptional({ type: RateLimitsDto }) rateLimits?: RateLimitsDto;
  @ApiProperty({ enum: ['available', 'unavailable'] }) status: string;
  @ApiPropertyOptional({ example: 'No openai API key configured for this caller' }) statusMessage?: string;
}

export class CapabilitiesDto {
  @ApiProperty({ type: [ProviderCapabilityDto], description: 'Registration order; callers take the first available' })
  providers: ProviderCapabilityDto[];
  @ApiProperty({ type: Object }) byProvider: Record<string, ProviderCapabilityDto>;
  @ApiProperty({ example: { chat: [{ provider: 'openai', model: { id: 'gpt-4o-mini' } }], embedding: [], vision: [], reasoning: [] } })
  modelsByPurpose: Record<string, Array<{ provider: string; model: ModelInfoDto }>>;
  @ApiProperty({
    example: { chatProvider: 'openai', chatModel: 'gpt-4o-mini', embeddingProvider: 'openai', embeddingModel: 'text-embedding-3-small' },
  })
  defaults: Record<string, string | null>;
  @ApiProperty() fetchedAt: string;
}

class ProviderRegistrationDto {
  @ApiProperty({ example: 'openai' }) name: string;
  @ApiProperty({ example: true }) registered: boolean;
  @ApiProperty({ example: 'not_checked', description: 'Keys are per caller: see /capabilities' }) credential: 'not_checked';
  @ApiProperty({ example: true, description: 'Same as registered (never means a key exists)' }) configured: boolean;
}

class CircuitDto {
  @ApiProperty({ enum: ['closed', 'open', 'half-open'] }) state: string;
  @ApiProperty({ example: 0 }) failures: number;
  @ApiProperty({ example: 'never', description: 'ISO time of the last counted failure, or "never"' }) lastFailure: string;
}

export class PublicStatusDto {
  @ApiProperty({ enum: ['healthy', 'degraded'] }) status: string;
  @ApiProperty({ type: [ProviderRegistrationDto] }) providers: ProviderRegistrationDto[];
  @ApiProperty() note: string;
  @ApiProperty({ type: Object, example: { openai: { state: 'closed', failures: 0, lastFailure: 'never' } } })
  circuitBreaker: Record<string, CircuitDto>;
}

export class CircuitBreakerDto {
  @ApiProperty({ type: Object, example: { openai: { state: 'closed', failures: 0, lastFailure: 'never' } } })
  status: Record<string, CircuitDto>;
  @ApiProperty() description: string;
}

export class CircuitResetDto extends CircuitBreakerDto {
  @ApiProperty({ enum: [true] }) success: true;
  @ApiProperty({ example: 'Circuit breaker reset for openai' }) message: string;
}

export class StatsDto {
  @ApiProperty({ example: 3 }) totalProviders: number;
  @ApiProperty({ example: 3, description: 'Registered (configured) providers; keys are per caller' }) configuredProviders: number;
  @ApiProperty({ example: 0, description: 'Generic OpenAPI/MCP integrations: not offered by this gateway' }) totalIntegrations: number;
}
