import { describe, expect, it } from '@jest/globals';
import { normalizeFinishReason } from './finish-reason.js';

describe('normalizeFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['eos_token', 'stop'],
  ])('maps %s to %s', (upstream, expected) => {
    expect(normalizeFinishReason(upstream)).toBe(expected);
  });

  it.each([['pause_turn'], [''], [null], [undefined], [42], ['constructor'], ['__proto__']])('maps %p to unknown', (upstream) => {
    expect(normalizeFinishReason(upstream)).toBe('unknown');
  });
});
