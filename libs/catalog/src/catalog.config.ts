import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';

export interface CatalogConfig {
  serviceUrl: string;
  /** 0: never read the Catalog service. */
  refreshMs: number;
  /** How long a live model list fetched with a caller's key is kept. */
  liveModelsTtlMs: number;
  /** JSON file of model prices (USD per 1k tokens) over the catalog's. */
  pricingFile?: string;
}

class CatalogVariables {
  /** The platform's Catalog service: model metadata and provider settings. */
  @IsUrl(HTTP_URL)
  CATALOG_SERVICE_URL = 'http://localhost:5003';

  /** How often the Catalog service is read again; 0 = never read it (built-in models only). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  CATALOG_REFRESH_MS = 300_000;

  /** How long a caller's live model list (a provider's own /models with their key) is kept. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  LIVE_MODELS_TTL_MS = 300_000;

  @IsOptional()
  @IsString()
  PRICING_FILE?: string = undefined;
}

export const catalogConfig = configSlice('catalog', CatalogVariables, (env): CatalogConfig => ({
  serviceUrl: stripTrailingSlash(env.CATALOG_SERVICE_URL),
  refreshMs: env.CATALOG_REFRESH_MS,
  liveModelsTtlMs: env.LIVE_MODELS_TTL_MS,
  pricingFile: env.PRICING_FILE,
}));
