import type { Clock } from '../clock.js';

/**
 * A warning about a dependency being down, said at most once per interval however many calls hit
 * it, with how many did: one line per call would flood the logs exactly when they are read.
 */
export class ThrottledWarning {
  private count = 0;
  private lastSaidAt = -Infinity;

  constructor(
    private readonly say: (message: string) => void,
    private readonly intervalMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  /** Counts one occurrence; says `describe(countSoFar)` when the interval since the last line has passed. */
  note(describe: (count: number) => string): void {
    this.count++;
    const now = this.now();
    if (now - this.lastSaidAt < this.intervalMs) return;
    this.lastSaidAt = now;
    this.say(describe(this.count));
  }

  /** The dependency is back: returns how many occurrences there were (0 if none) and starts over. */
  recover(): number {
    const count = this.count;
    this.count = 0;
    this.lastSaidAt = -Infinity;
    return count;
  }
}
