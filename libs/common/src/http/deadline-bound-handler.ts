import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import type { RequestDeadline } from './request-deadline.js';

/**
 * What the undici handlers of the gateway's outgoing calls (upstreams, Identity) share. The
 * request's deadline (and, for an upstream, the caller's hang-up, which aborts it) aborts the
 * request as a `signal` would: before, during or after connecting, with undici's
 * RequestAbortedError, so failures keep the codes the clients map. The reply's status and headers
 * are kept, informational (1xx) ones skipped.
 */
export abstract class DeadlineBoundHandler implements Dispatcher.DispatchHandler {
  status = 0;
  headers: IncomingHttpHeaders = {};
  protected controller: Dispatcher.DispatchController | null = null;
  private readonly abortOnDeadline = (): void => this.abort();

  constructor(protected readonly deadline: RequestDeadline) {
    deadline.once('abort', this.abortOnDeadline);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.deadline.aborted) return controller.abort(new errors.RequestAbortedError());
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // informational (1xx): the reply proper follows
    this.status = statusCode;
    this.headers = headers;
    this.started();
  }

  /** The reply proper's status and headers are in. */
  protected started(): void {}

  protected abort(): void {
    this.controller?.abort(new errors.RequestAbortedError());
  }

  /** The reply ended or failed: the deadline no longer needs this handler, nor it the request. */
  protected release(): void {
    this.deadline.removeListener('abort', this.abortOnDeadline);
    this.controller = null;
  }
}
