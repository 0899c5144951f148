import { describe, expect, it } from '@jest/globals';
import {
  anyObject,
  arrayOf,
  boolean,
  extend,
  integer,
  number,
  object,
  oneOf,
  optional,
  satisfies,
  string,
  violationsOf,
} from './schema.js';

interface Item {
  id: string;
  tags?: string[];
}
interface Order {
  kind: 'a' | 'b';
  count: number;
  ratio?: number;
  items: Item[];
  note: string | null;
  flag?: boolean;
  extra?: Record<string, unknown>;
}

const ORDER = object<Order>({
  kind: oneOf(['a', 'b']),
  count: integer({ min: 1, max: 10 }),
  ratio: optional(number({ min: 0, max: 1 })),
  items: arrayOf(
    object<Item>({
      id: string({ min: 1, max: 3, pattern: /^[a-z]+$/, patternMessage: 'must be lowercase letters' }),
      tags: optional(arrayOf(string(), { max: 2 })),
    }),
    { min: 1 },
  ),
  note: satisfies((value) => value === null || typeof value === 'string', 'must be a string or null'),
  flag: optional(boolean()),
  extra: optional(anyObject()),
});

const valid: Order = { kind: 'a', count: 3, items: [{ id: 'ab' }], note: null };

describe('schema rules', () => {
  it('accepts a valid value, and optional fields given as null', () => {
    expect(violationsOf(ORDER, valid)).toEqual([]);
    expect(violationsOf(ORDER, { ...valid, ratio: null, flag: null, extra: { anything: [1] } })).toEqual([]);
  });

  it('reports every offending field in declaration order, nested with dotted paths, unknown fields last', () => {
    const value = {
      surprise: 1,
      kind: 'c',
      count: 1.5,
      ratio: 2,
      items: [{ id: 'ABC', tags: ['x', 'y', 'z'], more: true }, 'x'],
      note: 5,
      flag: 'yes',
    };
    expect(violationsOf(ORDER, value, 'params')).toEqual([
      { field: 'params.kind', message: 'must be one of the following values: a, b' },
      { field: 'params.count', message: 'must be an integer number' },
      { field: 'params.ratio', message: 'must not be greater than 1' },
      { field: 'params.items.0.id', message: 'must be lowercase letters' },
      { field: 'params.items.0.tags', message: 'must contain no more than 2 elements' },
      { field: 'params.items.0.more', message: 'is not a supported field' },
      { field: 'params.items.1', message: 'must be an object' },
      { field: 'params.note', message: 'must be a string or null' },
      { field: 'params.flag', message: 'must be a boolean value' },
      { field: 'params.surprise', message: 'is not a supported field' },
    ]);
  });

  it('says a missing required field is required, and refuses null where null is not allowed', () => {
    expect(violationsOf(ORDER, { note: null, items: null })).toEqual([
      { field: 'kind', message: 'is required' },
      { field: 'count', message: 'is required' },
      { field: 'items', message: 'must be an array' },
    ]);
  });

  it('checks lengths, ranges and non-finite numbers', () => {
    expect(violationsOf(ORDER, { ...valid, count: 0, ratio: Number.NaN, items: [] })).toEqual([
      { field: 'count', message: 'must not be less than 1' },
      { field: 'ratio', message: 'must be a number' },
      { field: 'items', message: 'must contain at least 1 element' },
    ]);
    expect(violationsOf(ORDER, { ...valid, items: [{ id: '' }, { id: 'abcd' }] })).toEqual([
      { field: 'items.0.id', message: 'must not be empty' },
      { field: 'items.1.id', message: 'must be at most 3 characters' },
    ]);
  });

  it('refuses a value that is not an object at all', () => {
    expect(violationsOf(ORDER, [valid], 'params')).toEqual([{ field: 'params', message: 'must be an object' }]);
    expect(violationsOf(ORDER, 'x', 'params')).toEqual([{ field: 'params', message: 'must be an object' }]);
  });

  it('extends an object rule with more fields', () => {
    const EXTENDED = extend<Order, { priority?: number }>(ORDER, { priority: optional(integer()) });
    expect(violationsOf(EXTENDED, { ...valid, priority: 2 })).toEqual([]);
    expect(violationsOf(ORDER, { ...valid, priority: 2 })).toEqual([{ field: 'priority', message: 'is not a supported field' }]);
  });
});
