import { redactSecrets } from '@app/common';

export interface LastResortReporter {
  /** Where it was caught: `unhandledRejection` or `uncaughtException`. */
  count(kind: string): void;
  log(message: string): void;
}

/**
 * The process's last line of defence. Node ends the process on an unhandled rejection or an
 * uncaught exception, and with it every other caller's call in flight and the execution-log rows
 * still buffered. Every such error is a bug in one call's path: it is logged (redacted), counted
 * (`gateway_internal_errors_total`) and the process keeps serving. Returns the uninstaller.
 */
export function installLastResortHandlers(reporter: LastResortReporter, target: NodeJS.Process = process): () => void {
  const report = (kind: string) => (error: unknown) => {
    try {
      reporter.count(kind);
      reporter.log(`${kind} (kept serving): ${redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    } catch {
      // Reporting must never be the thing that fails here.
    }
  };
  const onRejection = report('unhandledRejection');
  const onException = report('uncaughtException');
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
