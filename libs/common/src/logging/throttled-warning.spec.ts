import { describe, expect, it } from '@jest/globals';
import { ThrottledWarning } from './throttled-warning.js';

describe('ThrottledWarning', () => {
  it('says one line per interval, with the count so far, and starts over on recovery', () => {
    let now = 0;
    const lines: string[] = [];
    const warning = new ThrottledWarning(
      (line) => lines.push(line),
      1000,
      () => now,
    );
    for (let call = 0; call < 5; call++) warning.note((count) => `down (${count})`);
    now = 999;
    warning.note((count) => `down (${count})`);
    now = 1000;
    warning.note((count) => `down (${count})`);
    expect(lines).toEqual(['down (1)', 'down (7)']);
    expect(warning.recover()).toBe(7);
    expect(warning.recover()).toBe(0);
    warning.note((count) => `down (${count})`);
    expect(lines.at(-1)).toBe('down (1)');
  });
});
