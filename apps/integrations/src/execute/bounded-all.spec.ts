import { describe, expect, it } from '@jest/globals';
import { boundedAll } from './bounded-all.js';

describe('boundedAll', () => {
  it('keeps the items’ order whatever order they finish in', async () => {
    const open: Array<() => void> = [];
    const gates = [0, 1, 2, 3].map((index) => new Promise<void>((resolve) => (open[index] = resolve)));
    const results = boundedAll([0, 1, 2, 3], 4, async (item) => {
      await gates[item];
      return item * 10;
    });
    for (const index of [3, 1, 0, 2]) open[index]();
    expect(await results).toEqual([0, 10, 20, 30]);
  });

  it('never runs more than `concurrency` at once', async () => {
    let running = 0;
    let most = 0;
    await boundedAll(
      Array.from({ length: 20 }, (_, index) => index),
      3,
      async () => {
        running++;
        most = Math.max(most, running);
        await Promise.resolve();
        running--;
      },
    );
    expect(most).toBe(3);
  });

  it('answers an empty list with an empty list', async () => {
    expect(await boundedAll([], 5, () => Promise.resolve(1))).toEqual([]);
  });
});
