import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Abortable, HangUp } from '@app/providers';

/**
 * The caller hanging up before its answer, whole or streamed: while an upstream call is watched, the
 * response closing before it finished aborts that call, which is then logged as CANCELLED. A
 * finished response also ends in 'close'; aborting then would be wasted work (with an
 * AbortController it built a DOMException with its stack each time: see bench/README.md).
 */
class CallerHangUp implements HangUp {
  call: Abortable | undefined;

  constructor(readonly response: ServerResponse) {
    // A module-level function bound to this, not a closure: see HangUp for what closures cost here.
    // 'on', not 'once': a response closes once, and once's wrapper is one more allocation per call.
    response.on('close', abortOnHangUp.bind(this));
  }

  get happened(): boolean {
    return this.response.destroyed && !this.response.writableFinished;
  }

  watch(call: Abortable): void {
    this.call = call;
  }

  unwatch(): void {
    this.call = undefined;
  }
}

/** A finished response closes too; only one that closed unfinished means the caller went away. */
function abortOnHangUp(this: CallerHangUp): void {
  if (this.call !== undefined && !this.response.writableFinished) this.call.abort();
}

export function callerHangUp(reply: FastifyReply): HangUp {
  return new CallerHangUp(reply.raw);
}

/**
 * Hang-ups for the items of one batch: each item watches its own upstream call, and the one
 * response closing early aborts every call still in flight (one 'close' listener, however many items).
 */
export function itemHangUps(reply: FastifyReply): () => HangUp {
  const response = reply.raw;
  const inFlight = new Set<Abortable>();
  response.on('close', () => {
    if (response.writableFinished) return;
    for (const call of inFlight) call.abort();
  });
  return () => new ItemHangUp(response, inFlight);
}

class ItemHangUp implements HangUp {
  private call: Abortable | undefined;

  constructor(
    private readonly response: ServerResponse,
    private readonly inFlight: Set<Abortable>,
  ) {}

  get happened(): boolean {
    return this.response.destroyed && !this.response.writableFinished;
  }

  watch(call: Abortable): void {
    this.call = call;
    this.inFlight.add(call);
  }

  unwatch(): void {
    if (this.call !== undefined) this.inFlight.delete(this.call);
    this.call = undefined;
  }
}
