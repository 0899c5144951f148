import { describe, expect, it } from '@jest/globals';
import { imageRequired } from './image-description.js';

describe('imageRequired', () => {
  it('accepts a user message with an image part', () => {
    const messages = [
      {
        role: 'user' as const,
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ];
    expect(imageRequired({ messages })).toEqual([]);
  });

  it('refuses text only, naming the field', () => {
    expect(imageRequired({ messages: [{ role: 'user', content: 'Describe the image' }] })).toEqual([
      { field: 'params.messages', message: expect.stringContaining('must include an image') },
    ]);
  });

  it('refuses an image part without a url', () => {
    expect(imageRequired({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] })).toHaveLength(1);
  });
});
