import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { redactSecrets } from '@app/common';

const logger = new Logger('EventStream');

export interface EventStreamWriter {
  /** `data: <json>` */
  data(payload: unknown): void;
  /** `event: <name>` then `data: <json>` */
  event(name: string, payload: unknown): void;
  /** `data: [DONE]` */
  done(): void;
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
  void write({
    data: (payload) => body.write(`data: ${JSON.stringify(payload)}\n\n`),
    event: (name, payload) => body.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`),
    done: () => body.write('data: [DONE]\n\n'),
  })
    .catch((error: unknown) =>
      logger.error(`A stream writer failed: ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`),
    )
    .finally(() => body.end());
  return body;
}
