import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { configSlice } from '@app/common';

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  logging: { executions: boolean; messageContent: boolean };
  maxRequestBodyBytes: number;
  /** On shutdown, how long in-flight requests may take before their connections are cut. */
  shutdownDrainTimeoutMs: number;
  batch: { maxItems: number; concurrency: number };
}

/** The HTTP server and its logs (read by the application itself). */
class ServerVariables {
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

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

  /**
   * On SIGTERM, how long in-flight requests may take to finish before their connections are cut
   * (below Kubernetes' default 30 s grace period, so the execution log is flushed before SIGKILL).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_DRAIN_TIMEOUT_MS = 20_000;

  /** Most calls one POST /api/integrations/execute/batch may carry. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  EXECUTE_BATCH_MAX_ITEMS = 100;

  /** How many of a batch's calls run at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  EXECUTE_BATCH_CONCURRENCY = 8;
}

export const serverConfig = configSlice('server', ServerVariables, (env): ServerConfig => ({
  port: env.PORT,
  host: env.HOST,
  logLevel: env.LOG_LEVEL as ServerConfig['logLevel'],
  logging: { executions: env.LOG_EXECUTIONS === 'true', messageContent: env.LOG_MESSAGE_CONTENT === 'true' },
  maxRequestBodyBytes: env.MAX_REQUEST_BODY_BYTES,
  shutdownDrainTimeoutMs: env.SHUTDOWN_DRAIN_TIMEOUT_MS,
  batch: { maxItems: env.EXECUTE_BATCH_MAX_ITEMS, concurrency: env.EXECUTE_BATCH_CONCURRENCY },
}));
