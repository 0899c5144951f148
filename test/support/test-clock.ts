/**
 * A clock a test moves forward by hand: real time plus what the test added, so time-based behaviour
 * (TTLs, expiry, cool-downs) is reached at once instead of by waiting, while tokens and rows stamped
 * with the system time stay consistent with it.
 */
export class TestClock {
  private offsetMs = 0;

  /** Pass as the app's clock: `startTestApp(env, { clock: clock.now })`. */
  readonly now = (): number => Date.now() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
