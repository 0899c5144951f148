/**
 * A small seeded input generator for the fuzz suite: the same seed gives the same cases, so a
 * failure can be replayed by its seed and case number.
 */
export class Fuzz {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a fast 32-bit PRNG, plenty for test input. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(): string {
    return this.pick([
      () => '',
      () => 'Hi',
      () => 'a'.repeat(this.int(5000)),
      () => '\u0000',
      () => `a\u0000b`,
      () => '\ud800', // an unpaired surrogate
      () => '😀'.repeat(this.int(50)),
      () => 'constructor',
      () => '__proto__',
      () => '../../etc/passwd',
      () => '%00%zz',
      () => '<script>alert(1)</script>',
      () => "' OR 1=1 --",
      () => 'sk-proj-fuzzedKey0123456789',
      () => String.fromCharCode(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x2fff))),
      () => 'gpt-4o-mini',
      () => 'user',
      () => 'assistant',
    ])();
  }

  number(): number {
    return this.pick([0, -0, -5, 1, 2.5, 1e308, -1e308, 2 ** 53, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 0.1, 100, 1e-300]);
  }

  key(): string {
    return this.pick([
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'messages',
      'model',
      'maxTokens',
      'content',
      'role',
      'x',
      '',
      'stream',
      'tools',
      this.string(),
    ]);
  }

  /** Any JSON value, nested up to `depth` levels (sometimes far deeper, to reach the depth limit). */
  json(depth = 3): unknown {
    const kind = depth <= 0 ? this.int(4) : this.int(7);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.number();
      case 3:
        return this.string();
      case 4:
        return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
      case 5:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.key(), this.json(depth - 1)]));
      default:
        return this.chance(0.2) ? this.deep(70 + this.int(200)) : this.json(depth - 1);
    }
  }

  deep(levels: number): unknown {
    let value: unknown = 'leaf';
    for (let level = 0; level < levels; level++) value = this.chance(0.5) ? [value] : { properties: value };
    return value;
  }

  /** `value` with one randomly chosen place (an object field or array item, at any depth) replaced or removed. */
  mutate(value: unknown): unknown {
    if (value === null || typeof value !== 'object' || this.chance(0.25)) return this.json();
    const copy: any = Array.isArray(value) ? [...value] : { ...value };
    const keys = Object.keys(copy);
    if (keys.length === 0 || this.chance(0.2)) {
      // defineProperty, so '__proto__' becomes an own field as JSON.parse would make it, not the prototype.
      Object.defineProperty(copy, this.key(), { value: this.json(), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    const key = this.pick(keys);
    if (this.chance(0.15)) delete copy[key];
    else copy[key] = this.mutate(copy[key]);
    return copy;
  }
}
