import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { serverConfig, type ServerConfig } from '@app/config';
import { CallLogLine } from './call-log-line.js';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface CallLogEntry {
  requestId: string;
  userId: string;
  orgId?: string;
  provider: string;
  operation: string;
  model: string | null;
  outcome: string;
  durationMs: number;
  upstreamLatencyMs?: number;
  totalTokens?: number;
  credentialSource?: string;
  /** The call's trace, when one is active (OpenTelemetry's log correlation fields). */
  trace_id?: string;
  span_id?: string;
}

/**
 * One structured line per provider attempt: who, what, how long, how it ended. Never a key, and no
 * message content unless LOG_MESSAGE_CONTENT is on.
 */
@Injectable()
export class CallLogger {
  private readonly logger: Logger;
  private readonly line: CallLogLine;
  private readonly enabled: boolean;
  private readonly includeContent: boolean;

  constructor(@Inject(ROOT_LOGGER) root: Logger, @Inject(serverConfig.token) config: ServerConfig) {
    this.logger = root.child({ context: 'execute' });
    this.line = new CallLogLine(this.logger);
    this.enabled = config.logging.executions;
    this.includeContent = config.logging.messageContent;
  }

  /** `params` (the caller's) are logged only with LOG_MESSAGE_CONTENT=true (debugging). */
  log(entry: CallLogEntry, params?: unknown): void {
    if (!this.enabled) return;
    const success = entry.outcome === 'success';
    if (this.includeContent) {
      const line = { ...entry, params };
      if (success) this.logger.info(line, 'provider call');
      else this.logger.warn(line, 'provider call failed');
      return;
    }
    this.line.write(entry, !success, success ? 'provider call' : 'provider call failed');
  }
}
