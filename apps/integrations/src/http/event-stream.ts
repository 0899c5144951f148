import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { redactSecrets } from '@app/common';

const logger = new Logger('EventStream');

export interface EventStreamWriter {
  /** `data: <json>` */
  data(payload: unknown): void;
  /** `event: <name>` then `data: <json>` */
  event(name: string, payload: unknown): void;
  /** `data: [DONE]`, the last frame: it leaves in one socket write with the frames before it in this turn and the body's end. */
  done(): void;
  /** `event: <name>` then `data: <json>`, as the last frame (like `done`). */
  lastEvent(name: string, payload: unknown): void;
  /** Undefined while the caller takes what is written; else settles once it has caught up, or gone. */
  ready(): Promise<void> | undefined;
}

/**
 * A text/event-stream answer: sets the headers, and returns the body for the handler to return (Nest
 * streams it as it is written). `write` fills it; the body ends when `write` settles. `write` is not
 * awaited by anyone, so its failure is caught here: a promise left to reject unhandled would end
 * the process, and every other caller's call with it.
 */
export function eventStream(reply: FastifyReply, write: (writer: EventStreamWriter) => Promise<void>): PassThrough {
  void reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no');
  const body = new PassThrough();
  const writeLast = (frame: string): void => {
    holdLastWrites(reply.raw);
    body.write(frame);
  };
  void write({
    data: (payload) => body.write(`data: ${JSON.stringify(payload)}\n\n`),
    event: (name, payload) => body.write(eventFrame(name, payload)),
    done: () => writeLast('data: [DONE]\n\n'),
    lastEvent: (name, payload) => writeLast(eventFrame(name, payload)),
    ready: () => (body.writableNeedDrain ? caughtUp(body) : undefined),
  })
    .catch((error: unknown) =>
      logger.error(`A stream writer failed: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`),
    )
    .finally(() => body.end());
  return body;
}

function eventFrame(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * Holds what the response writes from now until its end (or the end of this turn of the event loop,
 * whichever comes first) in one socket write. Without it the last frame leaves on its own (Node
 * flushes a response's writes at the end of the tick) and the chunked terminator a tick later, when
 * the piped body's end reaches the response: two writes where one does. `end()` flushes a corked
 * response itself; the Immediate only covers a body that does not end within the turn (a slow
 * client's backlog, a writer still busy), so nothing is held longer than that.
 */
function holdLastWrites(response: ServerResponse): void {
  if (response.writableEnded) return;
  response.cork();
  setImmediate(() => {
    if (!response.writableEnded) response.uncork();
  });
}

/** Settles once the body has been drained (its reader caught up) or destroyed (the caller went away). */
function caughtUp(body: PassThrough): Promise<void> {
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      body.off('drain', settle);
      body.off('close', settle);
      resolve();
    };
    body.on('drain', settle);
    body.on('close', settle);
  });
}
