import { describe, expect, it } from '@jest/globals';
import { fromPlatformParams } from './platform-params.js';

const user = { role: 'user', content: 'Hi' };

describe('fromPlatformParams', () => {
  it('leaves params in the gateway vocabulary untouched (same object)', () => {
    const params = { model: 'gpt-4o-mini', messages: [user], maxTokens: 10 };
    expect(fromPlatformParams('chat.completions', params)).toBe(params);
  });

  it('sends systemPrompt as a leading system message on chat operations', () => {
    expect(fromPlatformParams('chat.completions', { systemPrompt: 'Be brief.', messages: [user] })).toEqual({
      messages: [{ role: 'system', content: 'Be brief.' }, user],
    });
  });

  it('prefers instructions over systemPrompt over system, like the platform service', () => {
    const out = fromPlatformParams('chat.completions', { system: 'c', systemPrompt: 'b', instructions: 'a', messages: [user] });
    expect(out.messages).toEqual([{ role: 'system', content: 'a' }, user]);
    expect(out).toHaveProperty('system', 'c');
  });

  it('sends the system prompt as Anthropic messages’ system and as responses’ instructions', () => {
    expect(fromPlatformParams('messages', { systemPrompt: 'S', messages: [user] })).toEqual({ system: 'S', messages: [user] });
    expect(fromPlatformParams('responses', { system: 'S', input: 'x' })).toEqual({ instructions: 'S', input: 'x' });
  });

  it('turns a prompt into one user turn, after a system prompt', () => {
    expect(fromPlatformParams('chat.completions', { prompt: 'Hello', systemPrompt: 'S' })).toEqual({
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'Hello' },
      ],
    });
  });

  it('builds an image.description turn from image and prompt', () => {
    expect(fromPlatformParams('image.description', { image: 'https://example.com/a.png', prompt: 'What is it?' })).toEqual({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
  });

  it('keeps text.generation’s own prompt', () => {
    expect(fromPlatformParams('text.generation', { prompt: 'Once' })).toEqual({ prompt: 'Once' });
  });

  it('maps text to input on embeddings and stopSequences to stop', () => {
    expect(fromPlatformParams('embeddings', { text: 'a' })).toEqual({ input: 'a' });
    expect(fromPlatformParams('chat.completions', { messages: [user], stopSequences: ['END'] })).toEqual({
      messages: [user],
      stop: ['END'],
    });
  });

  it('turns string response formats into the structured form', () => {
    expect(fromPlatformParams('chat.completions', { messages: [user], responseFormat: 'json' }).responseFormat).toEqual({
      type: 'json_object',
    });
    const schema = { name: 'answer', schema: { type: 'object' }, strict: true };
    expect(fromPlatformParams('chat.completions', { messages: [user], responseFormat: 'json_schema', jsonSchema: schema })).toEqual({
      messages: [user],
      responseFormat: { type: 'json_schema', jsonSchema: schema },
    });
  });

  it('accepts OpenAI and Anthropic tool choices and Anthropic-shaped tools', () => {
    const out = fromPlatformParams('chat.completions', {
      messages: [user],
      toolChoice: { type: 'function', function: { name: 'lookup' } },
      tools: [{ name: 'lookup', description: 'Find', input_schema: { type: 'object' } }],
    });
    expect(out.toolChoice).toBe('lookup');
    expect(out.tools).toEqual([{ type: 'function', function: { name: 'lookup', description: 'Find', parameters: { type: 'object' } } }]);
    expect(fromPlatformParams('chat.completions', { messages: [user], toolChoice: { type: 'any' } }).toolChoice).toBe('required');
  });

  it('maps snake_case tool turns', () => {
    const out = fromPlatformParams('chat.completions', {
      messages: [
        user,
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', content: '42', tool_call_id: 'c1' },
      ],
    });
    expect(out.messages).toEqual([
      user,
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', content: '42', toolCallId: 'c1' },
    ]);
  });

  it('maps the platform’s camelCase Responses params to OpenAI’s Responses fields', () => {
    expect(
      fromPlatformParams('responses', {
        model: 'o3-mini',
        systemPrompt: 'Think.',
        messages: [user],
        maxTokens: 100,
        reasoningEffort: 'low',
        toolChoice: 'auto',
        parallelToolCalls: false,
        responseFormat: 'json_schema',
        jsonSchema: { name: 'answer', schema: { type: 'object' } },
      }),
    ).toEqual({
      model: 'o3-mini',
      instructions: 'Think.',
      input: [user],
      max_output_tokens: 100,
      reasoning: { effort: 'low' },
      tool_choice: 'auto',
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } },
    });
  });

  it('leaves responses params already in OpenAI’s names untouched', () => {
    const params = { input: 'Hi', max_output_tokens: 5 };
    expect(fromPlatformParams('responses', params)).toBe(params);
  });
});
