/** How long a line may wait for others before they are written together. */
export const FLUSH_AFTER_MS = 20;
/** Past this many characters waiting, they are written at once. */
const FLUSH_AT_CHARS = 65_536;

/**
 * pino's destination: lines gathered for up to FLUSH_AFTER_MS (or 64 KiB) and written to
 * process.stdout together. Every write to stdout is a system call, and one per line (or even one per
 * event-loop turn, a few calls' lines) was a measurable share of the gateway's CPU under load
 * (bench/README.md). Still process.stdout underneath, so whatever captures stdout (a container
 * runtime, the log tests) sees every line, at most FLUSH_AFTER_MS late; what is waiting is written
 * when the server closes and when the process exits. Only a process killed outright (SIGKILL, OOM)
 * loses the last FLUSH_AFTER_MS of lines.
 */
class BatchedStdout {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= FLUSH_AT_CHARS) this.flush();
    else if (this.timer === undefined) {
      // unref: a line waiting to be written never keeps the process alive; the exit hook writes it.
      this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref();
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = '';
    process.stdout.write(lines);
  }
}

export const batchedStdout = new BatchedStdout();
// stdout writes to files and pipes are synchronous on POSIX, so this lands before the process ends.
process.once('exit', () => batchedStdout.flush());
