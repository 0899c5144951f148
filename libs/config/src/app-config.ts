export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  /** `dataDir` null means in-memory. */
  | { kind: 'pglite'; dataDir: string | null };

export interface UpstreamProviderConfig {
  baseUrl: string;
  defaultModel: string;
  timeoutMs: number;
  /** Service-level key from the environment, if any. Never logged or reported. */
  apiKey?: string;
}

export interface OpenAiProviderConfig extends UpstreamProviderConfig {
  defaultEmbeddingModel: string;
}

export interface AnthropicProviderConfig extends UpstreamProviderConfig {
  /** Sent as max_tokens when the caller gives none (Anthropic requires it). */
  defaultMaxTokens: number;
}

export interface HuggingFaceProviderConfig extends UpstreamProviderConfig {
  defaultEmbeddingModel: string;
  defaultVisionModel: string;
  /** `router`: Inference Providers (OpenAI-shaped chat); `legacy`: per-model TGI / Inference Endpoints paths. */
  apiStyle: 'router' | 'legacy';
}

export interface CatalogConfig {
  serviceUrl: string;
  /** 0: never read the Catalog service. */
  refreshMs: number;
  /** How long a live model list fetched with a caller's key is kept. */
  liveModelsTtlMs: number;
}

/** An OpenAI-compatible endpoint declared in configuration (Azure OpenAI, Ollama, vLLM, Groq, …). */
export interface CustomProviderConfig extends UpstreamProviderConfig {
  name: string;
  displayName: string;
  defaultEmbeddingModel?: string;
  authHeader: 'bearer' | 'api-key' | 'none';
  queryParams: Record<string, string>;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

export interface OpsAgentConfig {
  backendUrl: string;
  registrationToken?: string;
  agentTokenFile: string;
  serviceCode: string;
  serviceName: string;
  /** Directories `file:` secretRefs may point into. */
  secretDirs: string[];
}

export interface RateLimit {
  /** Requests per minute; 0 = unlimited. */
  rpm: number;
  /** Tokens per minute; 0 = unlimited. */
  tpm: number;
}

export interface Budget {
  /** USD per UTC day; 0 = no cap. */
  dailyUsd: number;
  /** USD per calendar month (UTC); 0 = no cap. */
  monthlyUsd: number;
}

export interface LimitsConfig {
  redisUrl?: string;
  user: RateLimit;
  org: RateLimit;
  budgets: { user: Budget; org: Budget };
  pricingFile?: string;
}

export interface ResilienceConfig {
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; deadlineMs: number };
  circuit: { failureRate: number; minCalls: number; windowMs: number; cooldownMs: number };
}

/** When `from` fails with one of `on`, try `to` in order, mapping models through `models`. */
export interface FallbackRule {
  from: string;
  to: string[];
  on: string[];
  models: Record<string, string>;
}

export interface ExecutionLogConfig {
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
}

export interface JwtConfig {
  secret?: string;
  publicKey?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export interface AuthConfig {
  mode: 'jwt' | 'introspection';
  jwt: JwtConfig;
  serviceRole: string;
  /** Service name by service key. */
  serviceKeys: ReadonlyMap<string, string>;
  introspectionCacheTtlMs: number;
}

export type CredentialSourceName = 'identity' | 'vault' | 'environment';

export interface CredentialsConfig {
  /** Enabled sources, in the order they are asked. */
  sources: CredentialSourceName[];
  identityCacheTtlMs: number;
  identityServiceToken?: string;
  /** A file holding the token, re-read when it changes; wins over identityServiceToken. */
  identityServiceTokenFile?: string;
}

/** The validated, typed configuration every module reads (injected as APP_CONFIG). */
export interface AppConfig {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  logging: { executions: boolean; messageContent: boolean };
  maxRequestBodyBytes: number;
  maxUpstreamResponseBytes: number;
  /** Longest a streamed answer may last in all (the provider timeout bounds each silence within it). */
  streamTimeoutMs: number;
  /** On shutdown, how long in-flight requests may take before their connections are cut. */
  shutdownDrainTimeoutMs: number;
  database: DatabaseConfig;
  identityServiceUrl: string;
  identityTimeoutMs: number;
  catalog: CatalogConfig;
  auth: AuthConfig;
  credentials: CredentialsConfig;
  /** 32-byte key for the local credential vault, when configured. */
  credentialEncryptionKey?: Buffer;
  providers: {
    openai: OpenAiProviderConfig;
    anthropic: AnthropicProviderConfig;
    huggingface: HuggingFaceProviderConfig;
  };
  customProviders: CustomProviderConfig[];
  /** Present only when OPSTAGE_BACKEND_URL is set. */
  opsAgent?: OpsAgentConfig;
  keyRotationGraceMs: number;
  limits: LimitsConfig;
  resilience: ResilienceConfig;
  fallbacks: FallbackRule[];
  executionLog: ExecutionLogConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
