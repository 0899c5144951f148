import { describe, expect, it } from '@jest/globals';
import { estimatePromptTokens } from './prompt-tokens.js';

describe('estimatePromptTokens', () => {
  it('counts about four characters a token plus framing per message', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'a'.repeat(400) }] })).toBe(104);
  });

  it('reads text parts, system, prompt and input, and ignores images', () => {
    const params = {
      system: 'x'.repeat(40),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'y'.repeat(40) },
            { type: 'image_url', image_url: { url: 'data:…' } },
          ],
        },
      ],
    };
    expect(estimatePromptTokens(params)).toBe(20 + 4);
    expect(estimatePromptTokens({ input: ['abcd', 'efgh'] })).toBe(2);
  });
});
