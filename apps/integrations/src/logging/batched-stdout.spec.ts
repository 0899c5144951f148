import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { batchedStdout } from './batched-stdout.js';

describe('batched stdout', () => {
  const original = process.stdout.write.bind(process.stdout);
  let writes: string[];

  beforeEach(() => {
    batchedStdout.flush();
    writes = [];
    process.stdout.write = (chunk: string) => writes.push(chunk) > 0;
  });

  afterEach(() => {
    process.stdout.write = original;
  });

  it('writes the lines of one event-loop turn together, at the end of that turn', async () => {
    batchedStdout.write('{"a":1}\n');
    batchedStdout.write('{"b":2}\n');
    expect(writes).toEqual([]);

    await new Promise((resolve) => setImmediate(resolve));

    expect(writes).toEqual(['{"a":1}\n{"b":2}\n']);
  });

  it('writes at once when a turn has gathered 64 KiB', () => {
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) batchedStdout.write(line);

    expect(writes).toEqual([line.repeat(64)]);
  });
});
