import { EventEmitter } from 'node:events';

/**
 * The abort signal of one upstream call, as undici takes it (undici accepts an EventEmitter that
 * emits 'abort' as well as an AbortSignal): fires when the deadline passes or `abort()` is called.
 * An AbortController per call (and AbortSignal.any to join it with the caller's hang-up), with their
 * EventTarget machinery, cost more CPU than this timer and emitter.
 */
export class RequestDeadline extends EventEmitter {
  aborted = false;
  timedOut = false;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    super();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort();
    }, timeoutMs);
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
