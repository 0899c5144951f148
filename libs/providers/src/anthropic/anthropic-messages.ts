import { GatewayError } from '@app/common';
import { normalizeFinishReason, normalizeUsage, type ToolCall } from '@app/normalization';
import type { AnthropicMessagesParams } from './anthropic-messages.params.js';
import type { ChatMessageParam } from '../params/chat-completion.params.js';
import type { AdapterResult } from '../provider-adapter.js';
import { expectObject, optionalString } from '../upstream/reply-reading.js';

type ContentBlock = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/**
 * OpenAI-style chat turned into Anthropic's Messages API: system/developer turns become the top-level
 * `system`, tool calls become `tool_use` blocks, tool answers become `tool_result` blocks in a user
 * turn, and consecutive turns of one role are merged (Anthropic wants them alternating).
 */
export function toAnthropicBody(params: AnthropicMessagesParams, model: string, defaultMaxTokens: number): Record<string, unknown> {
  const systemParts = params.system === undefined ? [] : [params.system];
  const messages: AnthropicMessage[] = [];
  for (const message of params.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      systemParts.push(textOf(message.content));
      continue;
    }
    const converted = toAnthropicMessage(message);
    const previous = messages.at(-1);
    if (previous && previous.role === converted.role) previous.content.push(...converted.content);
    else messages.push(converted);
  }
  const body: Record<string, unknown> = { model, max_tokens: params.maxTokens ?? defaultMaxTokens, messages };
  if (systemParts.length > 0) body.system = systemParts.join('\n\n');
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.topP !== undefined) body.top_p = params.topP;
  if (params.topK !== undefined) body.top_k = params.topK;
  if (params.stop !== undefined) body.stop_sequences = Array.isArray(params.stop) ? params.stop : [params.stop];
  if (params.user !== undefined) body.metadata = { user_id: params.user };
  if (params.tools) {
    body.tools = params.tools.map(({ function: fn }) => ({
      name: fn.name,
      ...(fn.description !== undefined && { description: fn.description }),
      input_schema: fn.parameters ?? { type: 'object', properties: {} },
    }));
  }
  if (params.toolChoice !== undefined) body.tool_choice = toAnthropicToolChoice(params.toolChoice);
  if (params.parallelToolCalls === false && params.tools && params.toolChoice !== 'none') {
    body.tool_choice = { ...(body.tool_choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return body;
}

function toAnthropicMessage(message: ChatMessageParam): AnthropicMessage {
  if (message.role === 'tool') {
    return { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: textOf(message.content) }] };
  }
  const content: ContentBlock[] = Array.isArray(message.content)
    ? (message.content as ContentBlock[]).map(toAnthropicContentBlock)
    : message.content
      ? [{ type: 'text', text: message.content }]
      : [];
  for (const call of message.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) });
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content };
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/**
 * OpenAI-style image parts (`{type: 'image_url', image_url: {url}}`) become Anthropic image blocks,
 * from a base64 data URL or a web URL; every other part (text, or Anthropic's own blocks sent on
 * `messages`) is passed on as it is.
 */
function toAnthropicContentBlock(part: ContentBlock): ContentBlock {
  if (part.type !== 'image_url') return part;
  const url = (part.image_url as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string')
    throw GatewayError.validation([{ field: 'params.messages.content.image_url.url', message: 'must be a string' }]);
  const inline = DATA_URL.exec(url);
  return { type: 'image', source: inline ? { type: 'base64', media_type: inline[1], data: inline[2] } : { type: 'url', url } };
}

function toAnthropicToolChoice(choice: string): Record<string, unknown> {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice };
}

function textOf(content: ChatMessageParam['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
}

function parseArguments(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw GatewayError.validation([{ field: 'params.messages.toolCalls.arguments', message: 'must be JSON text' }]);
  }
}

export function fromAnthropicMessage(provider: string, requestedModel: string, replyBody: unknown): AdapterResult {
  const body = expectObject(replyBody, 'message');
  const blocks = Array.isArray(body.content) ? (body.content as ContentBlock[]) : [];
  const usage = (body.usage ?? {}) as Record<string, unknown>;
  // input_tokens excludes prompt-cache reads and writes; the prompt is all three together.
  const promptTokens = [usage.input_tokens, usage.cache_creation_input_tokens, usage.cache_read_input_tokens]
    .map((count) => (typeof count === 'number' ? count : 0))
    .reduce((sum, count) => sum + count, 0);
  const toolCalls: ToolCall[] = blocks
    .filter((block) => block.type === 'tool_use' && typeof block.name === 'string')
    .map((block) => ({
      id: typeof block.id === 'string' ? block.id : '',
      name: block.name as string,
      arguments: JSON.stringify(block.input ?? {}),
    }));
  const result: AdapterResult = {
    provider,
    model: optionalString(body.model) ?? requestedModel,
    content: blocks
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => block.text as string)
      .join(''),
    usage: normalizeUsage(promptTokens, usage.output_tokens),
    finishReason: normalizeFinishReason(body.stop_reason),
    metadata: { upstreamId: optionalString(body.id) },
  };
  if (toolCalls.length > 0) result.toolCalls = toolCalls;
  return result;
}
