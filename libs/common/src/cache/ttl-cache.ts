/**
 * A bounded in-memory cache whose entries expire at a per-entry time. Memory only, by design: it
 * holds secrets (provider keys, introspection results) that must never reach disk.
 */
export class TtlCache<Key, Value> {
  private readonly entries = new Map<Key, { value: Value; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: Key): Value | undefined {
    return this.live(key)?.value;
  }

  /** The value with the time it has left, or undefined when there is none (or it expired). */
  entry(key: Key): { value: Value; remainingMs: number } | undefined {
    const now = this.now();
    const entry = this.live(key, now);
    return entry && { value: entry.value, remainingMs: entry.expiresAt - now };
  }

  set(key: Key, value: Value, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value as Key;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** The stored entry while it has time left; an expired one is removed. */
  private live(key: Key, now = this.now()): { value: Value; expiresAt: number } | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  delete(key: Key): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Whether an answer with `remainingMs` of its `ttlMs` left is due to be asked for again ahead of
 * time (its last fifth): callers keep using it meanwhile, and a key in steady use never expires
 * under them.
 */
export function refreshAheadDue(remainingMs: number, ttlMs: number): boolean {
  return remainingMs <= ttlMs / 5;
}
