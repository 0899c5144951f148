import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { DeadlineBoundHandler, decodeText, type RequestDeadline } from '@app/common';

/** Chunks held before the upstream is asked to pause (it resumes once the reader has taken half). */
const HIGH_WATER_BYTES = 64 * 1024;

/** A reply whose headers are in and whose body is read chunk by chunk, as it arrives. */
export interface StreamedReply extends AsyncIterable<Buffer> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The rest of the body as text (an error answer, read whole). */
  text(): Promise<string>;
}

/**
 * Sends one request and resolves once the reply's headers are in; its body is then read with `for
 * await`, chunk by chunk. Through undici's handler API (`dispatch`): `dispatcher.request()` puts a
 * Readable stream and an async resource between each chunk and its reader. Backpressure as a stream
 * gives it: past HIGH_WATER_BYTES unread, the upstream is paused. The deadline aborts the request
 * (before the headers: the promise rejects; after them: the reader's next chunk does), and so does a
 * reader that stops early (`break`, a throw): nothing keeps the connection for a body nobody reads.
 */
export function dispatchStream(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  deadline: RequestDeadline,
): Promise<StreamedReply> {
  return new Promise<StreamedReply>((resolve, reject) => {
    dispatcher.dispatch(options, new StreamedReplyHandler(deadline, resolve, reject));
  });
}

type Waiting = { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: Error) => void };

class StreamedReplyHandler extends DeadlineBoundHandler implements StreamedReply, AsyncIterator<Buffer> {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private paused = false;
  private opened = false;
  private ended = false;
  private failure: Error | null = null;
  private waiting: Waiting | null = null;

  constructor(
    deadline: RequestDeadline,
    private readonly resolveOpened: (reply: StreamedReply) => void,
    private readonly rejectOpened: (error: Error) => void,
  ) {
    super(deadline);
  }

  protected override started(): void {
    this.opened = true;
    this.resolveOpened(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve({ value: chunk, done: false });
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes >= HIGH_WATER_BYTES && !this.paused) {
      this.paused = true;
      controller.pause();
    }
  }

  onResponseEnd(): void {
    this.ended = true;
    this.finished();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.failure = error;
    this.finished();
    if (!this.opened) this.rejectOpened(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.queuedBytes -= chunk.length;
      if (this.paused && this.queuedBytes <= HIGH_WATER_BYTES / 2) {
        this.paused = false;
        this.controller?.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise<IteratorResult<Buffer>>((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The reader stopped before the end: the rest of the body is not wanted. */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended && !this.failure) this.abort();
    this.queue.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of this) {
      chunks.push(chunk);
      length += chunk.length;
    }
    return decodeText(chunks, length);
  }

  /** The body ended or failed: the reader waiting hears of it, and the deadline no longer needs this handler. */
  private finished(): void {
    this.release();
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    if (this.failure) waiting.reject(this.failure);
    else waiting.resolve({ value: undefined, done: true });
  }
}
