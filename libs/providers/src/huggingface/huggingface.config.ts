import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';
import type { UpstreamProviderConfig } from '../provider-config.js';

export interface HuggingFaceProviderConfig extends UpstreamProviderConfig {
  defaultEmbeddingModel: string;
  defaultVisionModel: string;
  /** `router`: Inference Providers (OpenAI-shaped chat); `legacy`: per-model TGI / Inference Endpoints paths. */
  apiStyle: 'router' | 'legacy';
}

class HuggingFaceVariables {
  /** HuggingFace's Inference Providers router; a self-hosted TGI or Inference Endpoint with HUGGINGFACE_API_STYLE=legacy. */
  @IsUrl(HTTP_URL)
  HUGGINGFACE_BASE_URL = 'https://router.huggingface.co';

  /**
   * `router`: chat and text generation through `/v1/chat/completions`, embeddings through the
   * router's hf-inference feature-extraction pipeline. `legacy`: the per-model paths of
   * text-generation-inference and Inference Endpoints (`/models/{model}`, `/pipeline/feature-extraction/{model}`).
   */
  @IsIn(['router', 'legacy'])
  HUGGINGFACE_API_STYLE = 'router';

  @IsString()
  @MinLength(1)
  HUGGINGFACE_DEFAULT_MODEL = 'meta-llama/Llama-3.2-3B-Instruct';

  @IsString()
  @MinLength(1)
  HUGGINGFACE_EMBEDDING_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';

  /** image.description's default: a vision-language model the router serves. */
  @IsString()
  @MinLength(1)
  HUGGINGFACE_VISION_MODEL = 'Qwen/Qwen2.5-VL-7B-Instruct';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HUGGINGFACE_TIMEOUT_MS = 60_000;

  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  HUGGINGFACE_API_KEY?: string = undefined;
}

export const huggingFaceConfig = configSlice('huggingface', HuggingFaceVariables, (env): HuggingFaceProviderConfig => ({
  baseUrl: stripTrailingSlash(env.HUGGINGFACE_BASE_URL),
  apiStyle: env.HUGGINGFACE_API_STYLE as 'router' | 'legacy',
  defaultModel: env.HUGGINGFACE_DEFAULT_MODEL,
  defaultEmbeddingModel: env.HUGGINGFACE_EMBEDDING_MODEL,
  defaultVisionModel: env.HUGGINGFACE_VISION_MODEL,
  timeoutMs: env.HUGGINGFACE_TIMEOUT_MS,
  apiKey: env.HUGGINGFACE_API_KEY,
}));
