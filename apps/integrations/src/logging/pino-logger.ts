import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { isoTime, redactSecrets } from '@app/common';
import type { ServerConfig } from '@app/config';
import { batchedStdout } from './batched-stdout.js';

const PINO_LEVEL: Record<ServerConfig['logLevel'], string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The process's one JSON logger (pino), writing through process.stdout in batches (so whatever
 * captures stdout, a container runtime or the secret-leak test, sees every line). Messages are
 * redacted on the way out.
 */
export function createRootLogger(config: ServerConfig): Logger {
  return pino({ level: PINO_LEVEL[config.logLevel], base: { service: 'integrations-service' }, timestamp: isoTimestamp }, batchedStdout);
}

/** pino's isoTime, with each second's text made once (isoTime). */
const isoTimestamp = (): string => `,"time":"${isoTime(Date.now())}"`;

/** Nest's logger interface over pino, so framework and module logs come out as the same JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, clean(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace: trace ? redactSecrets(trace) : undefined }, clean(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, clean(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, clean(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, clean(message));
  }

  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, clean(message));
  }
}

function clean(message: unknown): string {
  return redactSecrets(typeof message === 'string' ? message : JSON.stringify(message));
}
