import { EventEmitter } from 'node:events';

/**
 * The abort signal of one outgoing call (an upstream's, Identity's), as undici takes it (undici
 * accepts an EventEmitter that emits 'abort' as well as an AbortSignal): fires when the deadline
 * passes or `abort()` is called.
 * An AbortController per call (and AbortSignal.any to join it with the caller's hang-up), with their
 * EventTarget machinery, cost more CPU than this timer and emitter.
 */
export class RequestDeadline extends EventEmitter {
  aborted = false;
  timedOut = false;
  private timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    super();
    this.timer = setTimeout(expire, timeoutMs, this);
  }

  /** A new deadline `timeoutMs` from now replaces the current one (a stream's total, once it has started). */
  restart(timeoutMs: number): void {
    clearTimeout(this.timer);
    if (!this.aborted) this.timer = setTimeout(expire, timeoutMs, this);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    clearTimeout(this.timer);
    this.emit('abort');
  }

  /** The deadline no longer applies (the call finished, or a stream has started); `abort()` still works. */
  clear(): void {
    clearTimeout(this.timer);
  }
}

function expire(deadline: RequestDeadline): void {
  deadline.timedOut = true;
  deadline.abort();
}
