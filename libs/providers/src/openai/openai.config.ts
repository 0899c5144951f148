import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';
import type { UpstreamProviderConfig } from '../provider-config.js';

export interface OpenAiProviderConfig extends UpstreamProviderConfig {
  defaultEmbeddingModel: string;
}

class OpenAiVariables {
  @IsUrl(HTTP_URL)
  OPENAI_BASE_URL = 'https://api.openai.com/v1';

  @IsString()
  @MinLength(1)
  OPENAI_DEFAULT_MODEL = 'gpt-4o-mini';

  @IsString()
  @MinLength(1)
  OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  OPENAI_TIMEOUT_MS = 60_000;

  /** Service-level key for single-tenant setups; per-user keys come from the credentials chain. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  OPENAI_API_KEY?: string = undefined;
}

export const openAiConfig = configSlice('openai', OpenAiVariables, (env): OpenAiProviderConfig => ({
  baseUrl: stripTrailingSlash(env.OPENAI_BASE_URL),
  defaultModel: env.OPENAI_DEFAULT_MODEL,
  defaultEmbeddingModel: env.OPENAI_EMBEDDING_MODEL,
  timeoutMs: env.OPENAI_TIMEOUT_MS,
  apiKey: env.OPENAI_API_KEY,
}));
