import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig, AuthConfig, CredentialSourceName, DatabaseConfig } from './app-config.js';
import { parseCustomProviders } from './custom-providers.js';
import { parseFallbackChains } from './fallback-chains.js';
import { EnvironmentVariables } from './environment.variables.js';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

type Environment = Record<string, string | undefined>;

/** Validates the environment and returns the typed configuration, or throws naming each bad variable. */
export function loadConfig(environment: Environment = process.env): AppConfig {
  const known = new Set(configVariableNames());
  // Empty values count as unset so `PORT=` in a .env file falls back to the default.
  const provided = Object.fromEntries(
    Object.entries(environment).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, provided, { exposeUnsetFields: false });
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) throw new ConfigValidationError(errors.map(describe));

  const encryptionKey = env.CREDENTIAL_ENCRYPTION_KEY ? parseEncryptionKey(env.CREDENTIAL_ENCRYPTION_KEY) : undefined;
  const custom = parseCustomProviders(env.CUSTOM_PROVIDERS, env.CUSTOM_PROVIDER_ALLOWED_HOSTS, environment);
  const providerNames = ['openai', 'anthropic', 'huggingface', ...custom.providers.map((provider) => provider.name)];
  const fallbacks = parseFallbackChains(env.FALLBACK_CHAINS, providerNames);
  const problems = [...crossFieldProblems(env, encryptionKey), ...custom.problems, ...fallbacks.problems];
  if (problems.length > 0) throw new ConfigValidationError(problems);

  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL as AppConfig['logLevel'],
    logging: { executions: env.LOG_EXECUTIONS === 'true', messageContent: env.LOG_MESSAGE_CONTENT === 'true' },
    maxRequestBodyBytes: env.MAX_REQUEST_BODY_BYTES,
    maxUpstreamResponseBytes: env.MAX_UPSTREAM_RESPONSE_BYTES,
    streamTimeoutMs: env.STREAM_TIMEOUT_MS,
    shutdownDrainTimeoutMs: env.SHUTDOWN_DRAIN_TIMEOUT_MS,
    database: databaseConfig(env),
    identityServiceUrl: stripTrailingSlash(env.IDENTITY_SERVICE_URL),
    identityTimeoutMs: env.IDENTITY_TIMEOUT_MS,
    catalog: {
      serviceUrl: stripTrailingSlash(env.CATALOG_SERVICE_URL),
      refreshMs: env.CATALOG_REFRESH_MS,
      liveModelsTtlMs: env.LIVE_MODELS_TTL_MS,
    },
    credentialEncryptionKey: encryptionKey,
    auth: {
      mode: env.AUTH_MODE as AuthConfig['mode'],
      jwt: {
        secret: env.JWT_SECRET,
        publicKey: env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
        jwksUrl: env.JWT_JWKS_URL,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
      },
      serviceRole: env.SERVICE_ROLE,
      serviceKeys: parseServiceKeys(env.SERVICE_API_KEYS),
      introspectionCacheTtlMs: env.INTROSPECTION_CACHE_TTL_MS,
    },
    credentials: {
      sources: credentialSources(env, encryptionKey),
      identityCacheTtlMs: env.IDENTITY_CREDENTIAL_CACHE_TTL_MS,
      identityServiceToken: env.IDENTITY_SERVICE_TOKEN,
      identityServiceTokenFile: env.IDENTITY_SERVICE_TOKEN_FILE,
    },
    providers: {
      openai: {
        baseUrl: stripTrailingSlash(env.OPENAI_BASE_URL),
        defaultModel: env.OPENAI_DEFAULT_MODEL,
        defaultEmbeddingModel: env.OPENAI_EMBEDDING_MODEL,
        timeoutMs: env.OPENAI_TIMEOUT_MS,
        apiKey: env.OPENAI_API_KEY,
      },
      anthropic: {
        baseUrl: stripTrailingSlash(env.ANTHROPIC_BASE_URL),
        defaultModel: env.ANTHROPIC_DEFAULT_MODEL,
        defaultMaxTokens: env.ANTHROPIC_DEFAULT_MAX_TOKENS,
        timeoutMs: env.ANTHROPIC_TIMEOUT_MS,
        apiKey: env.ANTHROPIC_API_KEY,
      },
      huggingface: {
        baseUrl: stripTrailingSlash(env.HUGGINGFACE_BASE_URL),
        apiStyle: env.HUGGINGFACE_API_STYLE as 'router' | 'legacy',
        defaultModel: env.HUGGINGFACE_DEFAULT_MODEL,
        defaultEmbeddingModel: env.HUGGINGFACE_EMBEDDING_MODEL,
        defaultVisionModel: env.HUGGINGFACE_VISION_MODEL,
        timeoutMs: env.HUGGINGFACE_TIMEOUT_MS,
        apiKey: env.HUGGINGFACE_API_KEY,
      },
    },
    customProviders: custom.providers,
    opsAgent: env.OPSTAGE_BACKEND_URL
      ? {
          backendUrl: stripTrailingSlash(env.OPSTAGE_BACKEND_URL),
          registrationToken: env.OPSTAGE_REGISTRATION_TOKEN,
          agentTokenFile: env.OPSTAGE_AGENT_TOKEN_FILE,
          serviceCode: env.OPSTAGE_SERVICE_CODE,
          serviceName: env.OPSTAGE_SERVICE_NAME,
          secretDirs: env.OPSTAGE_SECRET_DIRS.split(',').map((dir) => dir.replace(/\/+$/, '') || '/'),
        }
      : undefined,
    keyRotationGraceMs: env.KEY_ROTATION_GRACE_MS,
    resilience: {
      retry: {
        maxAttempts: env.RETRY_MAX_ATTEMPTS,
        baseDelayMs: env.RETRY_BASE_DELAY_MS,
        maxDelayMs: env.RETRY_MAX_DELAY_MS,
        deadlineMs: env.RETRY_DEADLINE_MS,
      },
      circuit: {
        failureRate: env.CIRCUIT_FAILURE_RATE,
        minCalls: env.CIRCUIT_MIN_CALLS,
        windowMs: env.CIRCUIT_WINDOW_MS,
        cooldownMs: env.CIRCUIT_COOLDOWN_MS,
      },
    },
    fallbacks: fallbacks.rules,
    limits: {
      redisUrl: env.REDIS_URL,
      user: { rpm: env.RATE_LIMIT_USER_RPM, tpm: env.RATE_LIMIT_USER_TPM },
      org: { rpm: env.RATE_LIMIT_ORG_RPM, tpm: env.RATE_LIMIT_ORG_TPM },
      budgets: {
        user: { dailyUsd: env.BUDGET_USER_DAILY_USD, monthlyUsd: env.BUDGET_USER_MONTHLY_USD },
        org: { dailyUsd: env.BUDGET_ORG_DAILY_USD, monthlyUsd: env.BUDGET_ORG_MONTHLY_USD },
      },
      pricingFile: env.PRICING_FILE,
    },
    executionLog: {
      batchSize: env.EXECUTION_LOG_BATCH_SIZE,
      flushIntervalMs: env.EXECUTION_LOG_FLUSH_INTERVAL_MS,
      maxQueueSize: env.EXECUTION_LOG_MAX_QUEUE,
    },
  };
}

/** Every environment variable the service reads; anything else in the environment is ignored. */
export function configVariableNames(): string[] {
  return Object.keys(new EnvironmentVariables()).concat(OPTIONAL_VARIABLES);
}

/** Optional variables have no initializer, so Object.keys of a fresh instance misses them. */
const OPTIONAL_VARIABLES = [
  'DATABASE_URL',
  'CREDENTIAL_ENCRYPTION_KEY',
  'OPENAI_API_KEY',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'SERVICE_API_KEYS',
  'IDENTITY_SERVICE_TOKEN',
  'IDENTITY_SERVICE_TOKEN_FILE',
  'CREDENTIAL_SOURCES',
  'ANTHROPIC_API_KEY',
  'HUGGINGFACE_API_KEY',
  'CUSTOM_PROVIDERS',
  'CUSTOM_PROVIDER_ALLOWED_HOSTS',
  'OPSTAGE_BACKEND_URL',
  'OPSTAGE_REGISTRATION_TOKEN',
  'REDIS_URL',
  'FALLBACK_CHAINS',
  'PRICING_FILE',
];

/** Rules that involve more than one variable. */
function crossFieldProblems(env: EnvironmentVariables, encryptionKey: Buffer | undefined): string[] {
  const problems: string[] = [];
  if (env.AUTH_MODE === 'jwt' && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY && !env.JWT_JWKS_URL) {
    problems.push('AUTH_MODE=jwt needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
  }
  if (env.CREDENTIAL_SOURCES?.split(',').includes('vault') && !encryptionKey) {
    problems.push('CREDENTIAL_SOURCES includes vault, which needs CREDENTIAL_ENCRYPTION_KEY');
  }
  return problems;
}

/** Explicit list if given; else Identity, the vault when a key is configured, then the environment. */
function credentialSources(env: EnvironmentVariables, encryptionKey: Buffer | undefined): CredentialSourceName[] {
  if (env.CREDENTIAL_SOURCES) return [...new Set(env.CREDENTIAL_SOURCES.split(','))] as CredentialSourceName[];
  return encryptionKey ? ['identity', 'vault', 'environment'] : ['identity', 'environment'];
}

function parseServiceKeys(value: string | undefined): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  for (const pair of value ? value.split(',') : []) {
    const separator = pair.indexOf(':');
    keys.set(pair.slice(separator + 1), pair.slice(0, separator));
  }
  return keys;
}

function databaseConfig(env: EnvironmentVariables): DatabaseConfig {
  if (env.DATABASE_URL === undefined) return { kind: 'pglite', dataDir: env.PGLITE_DATA_DIR };
  if (env.DATABASE_URL === 'memory') return { kind: 'pglite', dataDir: null };
  return { kind: 'postgres', url: env.DATABASE_URL };
}

function parseEncryptionKey(value: string): Buffer {
  const key = /^[A-Fa-f0-9]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigValidationError(['CREDENTIAL_ENCRYPTION_KEY must decode to exactly 32 bytes']);
  }
  return key;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describe(error: ValidationError): string {
  // Never echo the rejected value: it may be a secret.
  // class-validator's messages already start with the variable's name.
  return Object.values(error.constraints ?? {}).join('; ');
}
