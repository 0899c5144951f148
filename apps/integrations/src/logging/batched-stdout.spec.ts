import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { batchedStdout, FLUSH_AFTER_MS } from './batched-stdout.js';

describe('batched stdout', () => {
  const original = process.stdout.write.bind(process.stdout);
  let writes: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    batchedStdout.flush();
    writes = [];
    process.stdout.write = (chunk: string) => writes.push(chunk) > 0;
  });

  afterEach(() => {
    batchedStdout.flush();
    process.stdout.write = original;
    jest.useRealTimers();
  });

  it('writes the lines gathered within FLUSH_AFTER_MS together, once that time is up', () => {
    batchedStdout.write('{"a":1}\n');
    jest.advanceTimersByTime(FLUSH_AFTER_MS - 1);
    batchedStdout.write('{"b":2}\n');
    expect(writes).toEqual([]);

    jest.advanceTimersByTime(1);

    expect(writes).toEqual(['{"a":1}\n{"b":2}\n']);
    batchedStdout.write('{"c":3}\n');
    jest.advanceTimersByTime(FLUSH_AFTER_MS);
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n', '{"c":3}\n']);
  });

  it('writes at once when 64 KiB have gathered', () => {
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) batchedStdout.write(line);

    expect(writes).toEqual([line.repeat(64)]);
  });

  it('writes what is waiting when flushed (server close, process exit), and nothing twice', () => {
    batchedStdout.write('{"last":true}\n');

    batchedStdout.flush();
    jest.advanceTimersByTime(FLUSH_AFTER_MS);

    expect(writes).toEqual(['{"last":true}\n']);
  });
});
