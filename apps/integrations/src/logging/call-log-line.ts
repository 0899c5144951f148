import { symbols, type Logger } from 'pino';
import type { CallLogEntry } from './call-logger.js';

/** A logger's parts a line needs: the pieces pino itself puts before and after an object's fields. */
interface PinoInternals {
  [symbols.lsCacheSym]: Record<number, string>;
  [symbols.timeSym]: () => string;
  [symbols.chindingsSym]: string;
  [symbols.streamSym]: { write(line: string): void };
}

const INFO = 30;
const WARN = 40;

/**
 * The per-call log line, written field by field. It is the same line `logger.info(entry, message)`
 * writes (the same level, time, bindings, field order and destination; the spec compares the two),
 * without pino's walk over an arbitrary object: the fields are known, and that walk, for one line
 * per call, was a measurable share of the gateway's CPU (bench/README.md).
 */
export class CallLogLine {
  private readonly info: string | null;
  private readonly warn: string | null;
  private readonly time: () => string;
  private readonly bindings: string;
  private readonly destination: { write(line: string): void };

  constructor(logger: Logger) {
    const parts = logger as unknown as PinoInternals;
    this.info = logger.isLevelEnabled('info') ? parts[symbols.lsCacheSym][INFO] : null;
    this.warn = logger.isLevelEnabled('warn') ? parts[symbols.lsCacheSym][WARN] : null;
    this.time = parts[symbols.timeSym];
    this.bindings = parts[symbols.chindingsSym];
    this.destination = parts[symbols.streamSym];
  }

  /** At info level when `warn` is false, else at warn level; nothing when that level is off. */
  write(entry: CallLogEntry, warn: boolean, message: string): void {
    const head = warn ? this.warn : this.info;
    if (head === null) return;
    let line = head + this.time() + this.bindings;
    line += ',"requestId":' + text(entry.requestId);
    line += ',"userId":' + text(entry.userId);
    if (entry.orgId !== undefined) line += ',"orgId":' + text(entry.orgId);
    line += ',"provider":' + text(entry.provider);
    line += ',"operation":' + text(entry.operation);
    line += ',"model":' + (entry.model === null ? 'null' : text(entry.model));
    line += ',"outcome":' + text(entry.outcome);
    line += ',"durationMs":' + number(entry.durationMs);
    if (entry.upstreamLatencyMs !== undefined) line += ',"upstreamLatencyMs":' + number(entry.upstreamLatencyMs);
    if (entry.totalTokens !== undefined) line += ',"totalTokens":' + number(entry.totalTokens);
    if (entry.credentialSource !== undefined) line += ',"credentialSource":' + text(entry.credentialSource);
    if (entry.trace_id !== undefined) line += ',"trace_id":' + text(entry.trace_id);
    if (entry.span_id !== undefined) line += ',"span_id":' + text(entry.span_id);
    this.destination.write(line + ',"msg":' + text(message) + '}\n');
  }
}

const text = (value: string): string => JSON.stringify(value);
/** As JSON has it: a non-finite number is null. */
const number = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');
