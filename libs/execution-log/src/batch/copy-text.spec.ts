import { describe, expect, it } from '@jest/globals';
import { copyText, type CopyValue } from './copy-text.js';

const asRows = (rows: CopyValue[][]): string =>
  copyText(
    rows,
    rows[0].map((_, index) => (row: CopyValue[]) => row[index]),
  );

describe('copyText', () => {
  it('writes a line per row, tab-separated, with NULL, booleans and numbers as COPY reads them', () => {
    expect(
      asRows([
        ['a', null, true, 42],
        ['b', undefined, false, -1],
      ]),
    ).toBe('a\t\\N\tt\t42\nb\t\\N\tf\t-1\n');
  });

  it('escapes backslashes, tabs, newlines and carriage returns inside text', () => {
    expect(asRows([['line one\nline\ttwo\r\\.', 'plain']])).toBe('line one\\nline\\ttwo\\r\\\\.\tplain\n');
  });

  it('keeps the literal text \\N apart from NULL', () => {
    expect(asRows([['\\N', null]])).toBe('\\\\N\t\\N\n');
  });
});
