import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';
import type { UpstreamProviderConfig } from '../provider-config.js';

export interface AnthropicProviderConfig extends UpstreamProviderConfig {
  /** Sent as max_tokens when the caller gives none (Anthropic requires it). */
  defaultMaxTokens: number;
}

class AnthropicVariables {
  @IsUrl(HTTP_URL)
  ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

  @IsString()
  @MinLength(1)
  ANTHROPIC_DEFAULT_MODEL = 'claude-3-5-sonnet-latest';

  /** Anthropic requires max_tokens; this is sent when the caller gives no maxTokens. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  ANTHROPIC_TIMEOUT_MS = 60_000;

  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  ANTHROPIC_API_KEY?: string = undefined;
}

export const anthropicConfig = configSlice('anthropic', AnthropicVariables, (env): AnthropicProviderConfig => ({
  baseUrl: stripTrailingSlash(env.ANTHROPIC_BASE_URL),
  defaultModel: env.ANTHROPIC_DEFAULT_MODEL,
  defaultMaxTokens: env.ANTHROPIC_DEFAULT_MAX_TOKENS,
  timeoutMs: env.ANTHROPIC_TIMEOUT_MS,
  apiKey: env.ANTHROPIC_API_KEY,
}));
