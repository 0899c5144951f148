import { describe, expect, it } from '@jest/globals';
import { AnthropicStreamDecoder } from '../anthropic/anthropic-stream.decoder.js';
import { OpenAiStreamDecoder } from '../openai-compatible/openai-stream.decoder.js';
import { SseParser } from './sse-parser.js';
import { UpstreamStreamError } from './stream-types.js';

const json = (value: unknown) => ({ data: JSON.stringify(value) });

describe('SseParser', () => {
  it('puts events split across chunks and CRLF lines back together, multi-line data joined', () => {
    const parser = new SseParser();
    const encoder = new TextEncoder();
    expect(parser.push(encoder.encode('event: message_start\r\ndata: {"a":'))).toEqual([]);
    expect(parser.push(encoder.encode('1}\r\n\r\ndata: line one\ndata: line two\n\n: comment\n\n'))).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: 'line one\nline two' },
    ]);
  });
});

describe('OpenAiStreamDecoder', () => {
  const decoder = () => new OpenAiStreamDecoder();

  it('reads text, tool-call pieces, the finish reason, usage and the model', () => {
    const [update] = decoder().decode(
      json({
        model: 'gpt-4o-mini-2024-07-18',
        choices: [
          {
            delta: { content: 'Hi', tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{' } }] },
            finish_reason: 'tool_calls',
          },
        ],
      }),
    );
    expect(update).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      delta: 'Hi',
      toolCalls: [{ index: 0, id: 'call_1', name: 'f', arguments: '{' }],
      finishReason: 'tool_calls',
    });
    expect(decoder().decode(json({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } }))).toEqual([
      { promptTokens: 3, completionTokens: 4 },
    ]);
  });

  it('flags counts that are not counts, and says when the stream ended', () => {
    expect(decoder().decode(json({ choices: [], usage: { prompt_tokens: -5, completion_tokens: '12' } }))).toEqual([
      { usageInvalid: true },
    ]);
    expect(decoder().decode({ data: '[DONE]' })).toEqual([{ end: true }]);
  });

  it('ignores junk in place of choices and tool calls, and raises an error event as the upstream’s', () => {
    expect(decoder().decode(json({ choices: 'nope' }))).toEqual([{}]);
    expect(decoder().decode(json({ choices: [{ delta: { tool_calls: [null, 5] } }] }))).toEqual([{ toolCalls: [] }]);
    expect(() => decoder().decode(json({ error: { message: 'overloaded' } }))).toThrow(UpstreamStreamError);
  });
});

describe('AnthropicStreamDecoder', () => {
  it('counts the prompt with cache reads and writes, numbers tool_use blocks, and ends on message_stop', () => {
    const decoder = new AnthropicStreamDecoder('anthropic');
    expect(
      decoder.decode({
        event: 'message_start',
        data: JSON.stringify({ message: { model: 'claude', usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } }),
      }),
    ).toEqual([{ model: 'claude', promptTokens: 15, completionTokens: 1 }]);
    expect(
      decoder.decode({
        event: 'content_block_start',
        data: JSON.stringify({ index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather' } }),
      }),
    ).toEqual([{ toolCalls: [{ index: 0, id: 'toolu_1', name: 'get_weather', arguments: '' }] }]);
    expect(
      decoder.decode({
        event: 'content_block_delta',
        data: JSON.stringify({ index: 1, delta: { type: 'input_json_delta', partial_json: '{"city"' } }),
      }),
    ).toEqual([{ toolCalls: [{ index: 0, arguments: '{"city"' }] }]);
    expect(
      decoder.decode({ event: 'message_delta', data: JSON.stringify({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }) }),
    ).toEqual([{ finishReason: 'tool_calls', completionTokens: 7 }]);
    expect(decoder.decode({ event: 'message_stop', data: '{}' })).toEqual([{ end: true }]);
  });

  it('flags poisoned counts and maps an overloaded error event to PROVIDER_UNAVAILABLE', () => {
    const decoder = new AnthropicStreamDecoder('anthropic');
    expect(decoder.decode({ event: 'message_delta', data: JSON.stringify({ delta: {}, usage: { output_tokens: -5 } }) })).toEqual([
      { usageInvalid: true },
    ]);
    expect(() =>
      decoder.decode({ event: 'error', data: JSON.stringify({ error: { type: 'overloaded_error', message: 'Overloaded' } }) }),
    ).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }));
  });
});
