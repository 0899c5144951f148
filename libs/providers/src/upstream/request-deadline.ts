import { EventEmitter } from 'node:events';

/**
 * The deadline of one upstream call, as the abort signal undici takes (undici accepts an
 * EventEmitter that emits 'abort' as well as an AbortSignal). An AbortController per call, with its
 * EventTarget machinery, cost more CPU than this timer and emitter together.
 */
export class RequestDeadline extends EventEmitter {
  aborted = false;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.emit('abort');
    }, timeoutMs);
  }

  /** The call finished (or failed) first: the timer must not fire later. */
  clear(): void {
    clearTimeout(this.timer);
  }
}
