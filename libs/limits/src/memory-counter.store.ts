import type { CheckResult, CounterAddition, CounterAdmissions, CounterCheck, CounterStore } from './counter-store.js';

/** Counters in this process only (no REDIS_URL): exact for one instance, per-instance for several. */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private checked = 0;

  check(checks: readonly CounterCheck[]): Promise<CheckResult> {
    this.checked++;
    const windows = checks.map(({ key, windowMs }) => this.window(key, windowMs));
    const blocked = checks.findIndex(({ limit }, index) => windows[index].count >= limit);
    if (blocked >= 0) {
      const window = windows[blocked];
      return Promise.resolve({ allowed: false, blocked, count: window.count, resetMs: window.endsAt - Date.now() });
    }
    checks.forEach(({ take }, index) => {
      if (take) windows[index].count++;
    });
    return Promise.resolve({ allowed: true });
  }

  read(counters: ReadonlyArray<{ key: string; windowMs: number }>): Promise<Array<{ count: number; resetMs: number }>> {
    return Promise.resolve(
      counters.map(({ key, windowMs }) => {
        const window = this.window(key, windowMs);
        return { count: window.count, resetMs: window.endsAt - Date.now() };
      }),
    );
  }

  admissions(): CounterAdmissions {
    return { checked: this.checked, leased: 0 };
  }

  add(additions: readonly CounterAddition[]): Promise<void> {
    for (const { key, amount, windowMs } of additions) this.window(key, windowMs).count += amount;
    return Promise.resolve();
  }

  /** Nothing is held back: additions are counted at once. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Always ready: it lives in this process. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }

  private window(key: string, windowMs: number): { count: number; endsAt: number } {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
      if (this.windows.size > 100_000) this.evictExpired(now);
    }
    return window;
  }

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
