import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable the service reads, with its default and its rule. The service refuses to
 * boot when one is invalid, naming the variable, instead of failing later on the first request.
 */
export class EnvironmentVariables {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 5007;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  /** Unset: embedded PGlite under PGLITE_DATA_DIR. `memory`: in-memory PGlite. Else a PostgreSQL URL. */
  @IsOptional()
  @Matches(/^(memory|postgres(ql)?:\/\/.+)$/, {
    message: "DATABASE_URL must be 'memory' or a postgres:// (postgresql://) connection URL",
  })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  PGLITE_DATA_DIR = './data/pglite';

  @IsUrl(HTTP_URL)
  IDENTITY_SERVICE_URL = 'http://localhost:5001';

  @IsUrl(HTTP_URL)
  CATALOG_SERVICE_URL = 'http://localhost:5003';

  /** 32 bytes as base64 (44 chars) or hex (64 chars); checked further by parseEncryptionKey. */
  @IsOptional()
  @Matches(/^([A-Fa-f0-9]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'CREDENTIAL_ENCRYPTION_KEY must be 32 bytes encoded as base64 (44 chars) or hex (64 chars)',
  })
  CREDENTIAL_ENCRYPTION_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

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
  OPENAI_API_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  // 14 columns a row: 4000 rows stay under PostgreSQL's 65535 bind parameters per statement.
  @Max(4000)
  EXECUTION_LOG_BATCH_SIZE = 200;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EXECUTION_LOG_FLUSH_INTERVAL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  EXECUTION_LOG_MAX_QUEUE = 50_000;
}
