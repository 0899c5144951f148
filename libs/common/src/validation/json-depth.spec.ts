import { describe, expect, it } from '@jest/globals';
import { jsonDepthViolation } from './json-depth.js';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { properties: value };
  return value;
}

describe('jsonDepthViolation', () => {
  it('takes ordinary and exactly-limit bodies', () => {
    expect(jsonDepthViolation({ params: { messages: [{ role: 'user', content: 'Hi' }] } }, 64)).toBeUndefined();
    expect(jsonDepthViolation(nested(64), 64)).toBeUndefined();
    expect(jsonDepthViolation('text', 1)).toBeUndefined();
  });

  it('names where a body 5,000 levels deep goes too deep, without overflowing', () => {
    const body = { params: { tools: [{ function: { parameters: nested(5000) } }] } };
    expect(jsonDepthViolation(body, 64)).toEqual({
      field: 'params.tools.0.function.parameters.properties.properties.properties…',
      message: 'is nested more than 64 levels deep',
    });
  });

  it('counts arrays as levels too', () => {
    let value: unknown = [];
    for (let level = 0; level < 10; level++) value = [value];
    expect(jsonDepthViolation(value, 10)?.field).toBe('0.0.0.0.0.0.0.0…');
    expect(jsonDepthViolation(value, 11)).toBeUndefined();
  });
});
