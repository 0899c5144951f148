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

export interface ExecutionLogConfig {
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
}

/** The validated, typed configuration every module reads (injected as APP_CONFIG). */
export interface AppConfig {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  maxRequestBodyBytes: number;
  database: DatabaseConfig;
  identityServiceUrl: string;
  catalogServiceUrl: string;
  /** 32-byte key for the local credential vault, when configured. */
  credentialEncryptionKey?: Buffer;
  providers: {
    openai: OpenAiProviderConfig;
  };
  executionLog: ExecutionLogConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
