/** Anything an upstream call can be stopped through (a RequestDeadline). */
export interface Abortable {
  abort(): void;
}

/**
 * The caller going away before its answer (whole or streamed), as an upstream call needs to know it.
 * Deliberately not an AbortSignal, and `watch` takes the call itself rather than a callback: an
 * AbortController per request, or a closure handed out of the async send(), cost several times
 * this shape's CPU per request (figures in bench/README.md).
 */
export interface HangUp {
  /** True once the caller has gone. */
  readonly happened: boolean;
  /** Until `unwatch`, the caller hanging up aborts `call`. */
  watch(call: Abortable): void;
  unwatch(): void;
}
