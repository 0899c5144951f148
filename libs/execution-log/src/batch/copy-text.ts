/**
 * Rows in PostgreSQL's COPY text format, each column's value read by its function: one line a row, columns separated by tabs, `\N` for NULL,
 * `t`/`f` for booleans, and backslash, tab, newline and carriage return escaped inside text (so a
 * value can never end a row or a column early, nor spell the end-of-data marker).
 */
export function copyText<Row>(rows: readonly Row[], columns: ReadonlyArray<(row: Row) => CopyValue>): string {
  let text = '';
  for (const row of rows) {
    for (let index = 0; index < columns.length; index++) {
      if (index > 0) text += '\t';
      text += copyValue(columns[index](row));
    }
    text += '\n';
  }
  return text;
}

/** A column value: text, a number, a boolean or NULL (the writer's rows hold nothing else). */
export type CopyValue = string | number | boolean | null | undefined;

function copyValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // A number's text has nothing to escape (most of a rollup row's columns are numbers).
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (character) => ESCAPES[character] ?? character) : value;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
