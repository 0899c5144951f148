import type { FieldViolation } from '@app/common';
import type { Operation } from '../operation-table.js';
import type { ChatCompletionParams } from './chat-completion.params.js';

/**
 * `image.description`: a chat call that must carry an image. The operation exists so a request
 * without one is refused (400) instead of getting a confident description of a picture the model
 * never received. Images are OpenAI-shaped content parts (`{type: 'image_url', image_url: {url}}`,
 * an https URL or a data URL); each provider's chat translation sends them in its own form.
 */
export function imageDescription<Params extends ChatCompletionParams>(
  chat: Operation<Params>,
  defaultModel = chat.defaultModel,
): Operation<Params> {
  return {
    ...chat,
    defaultModel,
    description: 'Describe an image (a user message with an image part, and an optional text prompt)',
    stream: undefined,
    refine: (params) => [...(chat.refine?.(params) ?? []), ...imageRequired(params)],
  };
}

export function imageRequired(params: Pick<ChatCompletionParams, 'messages'>): FieldViolation[] {
  return params.messages.some((message) => Array.isArray(message.content) && message.content.some(isImagePart))
    ? []
    : [{ field: 'params.messages', message: 'must include an image: a content part {type: "image_url", image_url: {url}}' }];
}

function isImagePart(part: object): boolean {
  const { type, image_url: image } = part as { type?: unknown; image_url?: { url?: unknown } };
  return type === 'image_url' && typeof image?.url === 'string' && image.url.length > 0;
}
