import type { CounterStore, TakeResult } from './counter-store.js';

/** Counters in this process only (no REDIS_URL): exact for one instance, per-instance for several. */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  take(key: string, limit: number, windowMs: number): Promise<TakeResult> {
    const window = this.window(key, windowMs);
    if (window.count >= limit) return Promise.resolve({ allowed: false, resetMs: window.endsAt - Date.now() });
    window.count++;
    return Promise.resolve({ allowed: true, resetMs: window.endsAt - Date.now() });
  }

  read(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const window = this.window(key, windowMs);
    return Promise.resolve({ count: window.count, resetMs: window.endsAt - Date.now() });
  }

  add(key: string, amount: number, windowMs: number): Promise<void> {
    this.window(key, windowMs).count += amount;
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
