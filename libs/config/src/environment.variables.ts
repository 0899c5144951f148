import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

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

  /** One JSON log line per provider call (requestId, user, provider, outcome, durations). */
  @IsIn(['true', 'false'])
  LOG_EXECUTIONS = 'true';

  /** Debugging only: include the caller's params (message content) in those lines. */
  @IsIn(['true', 'false'])
  LOG_MESSAGE_CONTENT = 'false';

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

  /** The platform's Catalog service: model metadata and provider settings (libs/catalog). */
  @IsUrl(HTTP_URL)
  CATALOG_SERVICE_URL = 'http://localhost:5003';

  /** How often the Catalog service is read again; 0 = never read it (built-in models only). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  CATALOG_REFRESH_MS = 300_000;

  /** How long a caller's live model list (OpenAI /v1/models with their key) is kept. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  LIVE_MODELS_TTL_MS = 300_000;

  /** 32 bytes as base64 (44 chars) or hex (64 chars); checked further by parseEncryptionKey. */
  @IsOptional()
  @Matches(/^([A-Fa-f0-9]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'CREDENTIAL_ENCRYPTION_KEY must be 32 bytes encoded as base64 (44 chars) or hex (64 chars)',
  })
  CREDENTIAL_ENCRYPTION_KEY?: string;

  /** `jwt`: verify bearer JWTs locally. `introspection`: ask the Identity service about each token (cached). */
  @IsIn(['jwt', 'introspection'])
  AUTH_MODE = 'introspection';

  /** HS256 secret (jwt mode). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** PEM public key for RS256/ES256 (jwt mode); `\n` escapes are accepted for one-line env files. */
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)' })
  JWT_PUBLIC_KEY?: string;

  /** JWKS endpoint for RS256/ES256 keys (jwt mode). */
  @IsOptional()
  @IsUrl(HTTP_URL)
  JWT_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  /** Role (JWT `roles` claim) that marks a service caller allowed to act on behalf of a user. */
  @IsString()
  @MinLength(1)
  SERVICE_ROLE = 'service';

  /** Service keys as `name:key` pairs, comma separated, e.g. `runtime:…,assistants:…` (keys ≥ 32 chars). */
  @IsOptional()
  @Matches(/^[a-z0-9_-]+:[^,:\s]{32,}(,[a-z0-9_-]+:[^,:\s]{32,})*$/, {
    message: 'SERVICE_API_KEYS must be comma-separated name:key pairs with keys of at least 32 characters',
  })
  SERVICE_API_KEYS?: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  INTROSPECTION_CACHE_TTL_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  IDENTITY_TIMEOUT_MS = 5000;

  /** Token the gateway presents to Identity for credential lookups when the caller has none (service keys). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  IDENTITY_SERVICE_TOKEN?: string;

  /**
   * A file holding that token (the Kubernetes projected-token pattern): re-read when it changes, so
   * a rotated token is used without a restart. Takes precedence over IDENTITY_SERVICE_TOKEN.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  IDENTITY_SERVICE_TOKEN_FILE?: string;

  /** Where provider keys come from, in order: any of identity, vault, environment. */
  @IsOptional()
  @Matches(/^(identity|vault|environment)(,(identity|vault|environment))*$/, {
    message: 'CREDENTIAL_SOURCES must be a comma-separated list of identity, vault, environment',
  })
  CREDENTIAL_SOURCES?: string;

  /** How long keys fetched from Identity stay in memory; 0 disables the cache. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  IDENTITY_CREDENTIAL_CACHE_TTL_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

  /** Largest upstream reply body read (a stream counts all its bytes); 128 MiB fits the biggest embedding batches. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  MAX_UPSTREAM_RESPONSE_BYTES = 128 * 1024 * 1024;

  /**
   * Longest a streamed answer may take from first to last byte. A provider's *_TIMEOUT_MS bounds the
   * wait for its response headers and every silence between chunks; this bounds the stream as a whole.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  STREAM_TIMEOUT_MS = 600_000;

  /**
   * On SIGTERM, how long in-flight requests may take to finish before their connections are cut
   * (below Kubernetes' default 30 s grace period, so the execution log is flushed before SIGKILL).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_DRAIN_TIMEOUT_MS = 20_000;

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
  ANTHROPIC_API_KEY?: string;

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
  HUGGINGFACE_API_KEY?: string;

  /** Attempts per provider call, the first included (1 = never retry). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  RETRY_MAX_ATTEMPTS = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  RETRY_BASE_DELAY_MS = 200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300_000)
  RETRY_MAX_DELAY_MS = 10_000;

  /** No retry starts after this much time since the call began. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  RETRY_DEADLINE_MS = 30_000;

  /** A provider's circuit opens when this share of recent calls failed… */
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(1)
  CIRCUIT_FAILURE_RATE = 0.5;

  /** …among at least this many calls… */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CIRCUIT_MIN_CALLS = 5;

  /** …within this window. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  CIRCUIT_WINDOW_MS = 30_000;

  /** How long an open circuit refuses calls before one trial call is let through. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  CIRCUIT_COOLDOWN_MS = 30_000;

  /** JSON array of fallback rules; see fallback-chains.ts. */
  @IsOptional()
  @IsString()
  FALLBACK_CHAINS?: string;

  /** JSON file of model prices (USD per 1k tokens), merged over the built-in table. */
  @IsOptional()
  @IsString()
  PRICING_FILE?: string;

  /** Spend caps in USD per UTC day / calendar month; 0 = no cap. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_USER_DAILY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_USER_MONTHLY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_ORG_DAILY_USD = 0;

  @Type(() => Number)
  @IsNumber()
  @Min(0)
  BUDGET_ORG_MONTHLY_USD = 0;

  /** Redis for counters shared by every replica (rate limits); in-memory counters when unset. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Requests per minute per user; 0 = no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_USER_RPM = 0;

  /** Tokens (prompt + completion) per minute per user; 0 = no limit. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_USER_TPM = 0;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ORG_RPM = 0;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ORG_TPM = 0;

  /** Opstage control plane; the ops agent is off when unset. */
  @IsOptional()
  @IsUrl(HTTP_URL)
  OPSTAGE_BACKEND_URL?: string;

  /** One-time registration token (`opstage_reg_…`), needed only until the agent token is saved. */
  @IsOptional()
  @Matches(/^opstage_reg_\S+$/, { message: 'OPSTAGE_REGISTRATION_TOKEN must look like opstage_reg_…' })
  OPSTAGE_REGISTRATION_TOKEN?: string;

  /** Where the agent token is kept (mode 0600) so restarts need no new registration token. */
  @IsString()
  @MinLength(1)
  OPSTAGE_AGENT_TOKEN_FILE = './data/opstage-agent-token';

  @Matches(/^[a-z0-9][a-z0-9_-]{0,79}$/, { message: 'OPSTAGE_SERVICE_CODE must match ^[a-z0-9][a-z0-9_-]*$ (at most 80 chars)' })
  OPSTAGE_SERVICE_CODE = 'integrations-service';

  /** Where `file:` secretRefs of rotateKey may point (mounted Kubernetes Secrets), comma-separated absolute directories. */
  @Matches(/^\/[^,]*(,\/[^,]*)*$/, { message: 'OPSTAGE_SECRET_DIRS must be comma-separated absolute directories' })
  OPSTAGE_SECRET_DIRS = '/run/secrets,/var/run/secrets';

  @IsString()
  @MinLength(1)
  OPSTAGE_SERVICE_NAME = 'Integrations Service';

  /** How long a rotated-out service key stays available to rollbackKey. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3_600_000)
  KEY_ROTATION_GRACE_MS = 24 * 3_600_000;

  /** JSON array of OpenAI-compatible providers; see custom-providers.ts for the fields. */
  @IsOptional()
  @IsString()
  CUSTOM_PROVIDERS?: string;

  /** Hosts custom providers may point at (comma separated; `*.example.com` wildcards). */
  @IsOptional()
  @IsString()
  CUSTOM_PROVIDER_ALLOWED_HOSTS?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  // 17 columns a row: 3500 rows stay under PostgreSQL's 65535 bind parameters per statement.
  @Max(3500)
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
