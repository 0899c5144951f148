import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { DeadlineBoundHandler } from './deadline-bound-handler.js';
import type { RequestDeadline } from './request-deadline.js';

/** A reply read to its end: status, headers and the body as text. */
export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Sends one request and reads its whole reply through undici's handler API (`dispatch`), keeping
 * the body's chunks as they arrive and decoding them once at the end. `dispatcher.request()` wraps
 * every reply in a Readable stream and an async resource, which a reply read whole at once has no
 * use for, at a measurable cost per call (bench/README.md). The deadline aborts the request as a
 * `signal` would: a request aborted before, during or after connecting fails with undici's
 * RequestAbortedError, and the reply's own failures (size limit, connection lost) are undici's.
 */
export function dispatchWhole(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, deadline: RequestDeadline): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    dispatcher.dispatch(options, new WholeReplyHandler(deadline, resolve, reject));
  });
}

class WholeReplyHandler extends DeadlineBoundHandler {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(
    deadline: RequestDeadline,
    private readonly resolve: (reply: RawReply) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super(deadline);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  onResponseEnd(): void {
    this.release();
    this.resolve({ status: this.status, headers: this.headers, text: decodeText(this.chunks, this.length) });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.release();
    this.reject(error);
  }
}

/** UTF-8, a leading byte-order mark dropped: as undici's `body.text()` reads a reply. */
export function decodeText(chunks: readonly Buffer[], length: number): string {
  if (length === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}
