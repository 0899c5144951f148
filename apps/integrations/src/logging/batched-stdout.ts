/**
 * pino's destination: lines gathered during one turn of the event loop and written to
 * process.stdout together, at the end of that turn (or at once past 64 KiB). With one `write` per
 * line, each call cost a system call for its log line, 8% of the gateway's CPU under load.
 * Still process.stdout underneath, so whatever captures stdout (a container runtime, the log tests)
 * sees every line; at most one turn's lines are in memory, and they are written on exit too.
 */
class BatchedStdout {
  private pending = '';
  private scheduled = false;

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= 65_536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = '';
    process.stdout.write(lines);
  }
}

export const batchedStdout = new BatchedStdout();
// stdout writes to files and pipes are synchronous on POSIX, so this lands before the process ends.
process.once('exit', () => batchedStdout.flush());
