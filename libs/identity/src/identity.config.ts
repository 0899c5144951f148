import { Type } from 'class-transformer';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { HTTP_URL, configSlice, stripTrailingSlash } from '@app/common';

export interface IdentityConfig {
  serviceUrl: string;
  timeoutMs: number;
}

class IdentityVariables {
  @IsUrl(HTTP_URL)
  IDENTITY_SERVICE_URL = 'http://localhost:5001';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  IDENTITY_TIMEOUT_MS = 5000;
}

export const identityConfig = configSlice('identity', IdentityVariables, (env): IdentityConfig => ({
  serviceUrl: stripTrailingSlash(env.IDENTITY_SERVICE_URL),
  timeoutMs: env.IDENTITY_TIMEOUT_MS,
}));
