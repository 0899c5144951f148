import { GatewayError, type FieldViolation } from '@app/common';
import type { FinishReason, NormalizedResponse } from '@app/normalization';
import type { FinalStreamChunk, ToolCallDelta } from '@app/providers';
import type { EventStreamWriter } from '../http/event-stream.js';
import type { ExecuteRequest } from '../execute/execute-request.js';
import { routeModel } from '../execute/model-route.js';

type Body = Record<string, unknown>;

/** Anthropic request fields with a gateway equivalent (besides model, messages, system, tools, tool_choice). */
const FIELDS: Readonly<Record<string, string>> = {
  max_tokens: 'maxTokens',
  temperature: 'temperature',
  top_p: 'topP',
  stop_sequences: 'stop',
};
const HANDLED = new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'metadata', 'stream', 'top_k', ...Object.keys(FIELDS)]);

/**
 * Anthropic's Messages request on the gateway's own model. `model` may name a provider
 * (`openai/gpt-4o`, `huggingface/…`, a custom provider); a plain name (`claude-…`) goes to
 * Anthropic. Everything becomes the gateway's chat vocabulary, which every adapter speaks (the
 * Anthropic adapter turns it back into Messages almost verbatim): text and image blocks, tool_use
 * turns as tool calls, tool_result blocks as tool turns, `system` as a system turn.
 */
export function messagesRequestFromAnthropic(body: Body, providers: string[]): ExecuteRequest {
  const { provider, model } = routeModel(body.model, providers, 'anthropic');
  const violations: FieldViolation[] = [];
  const unknown = Object.keys(body).filter((field) => !HANDLED.has(field));
  for (const field of unknown) violations.push({ field, message: 'is not supported by this gateway' });
  if (body.top_k !== undefined && provider !== 'anthropic') violations.push({ field: 'top_k', message: `is not supported by ${provider}` });
  if (!Array.isArray(body.messages)) violations.push({ field: 'messages', message: 'must be an array' });
  if (violations.length > 0) throw GatewayError.validation(violations);

  const messages: Body[] = [];
  const system = textOf(body.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  for (const [index, message] of (body.messages as unknown[]).entries()) messages.push(...messageFromAnthropic(message, index));
  const params: Body = { model, messages };
  for (const [field, param] of Object.entries(FIELDS)) if (body[field] !== undefined) params[param] = body[field];
  if (body.stream === true) params.stream = true;
  if (body.tools !== undefined) params.tools = toolsFromAnthropic(body.tools);
  if (body.tool_choice !== undefined) Object.assign(params, toolChoiceFromAnthropic(body.tool_choice));
  const userId = (body.metadata as { user_id?: unknown } | undefined)?.user_id;
  if (typeof userId === 'string') params.user = userId;
  // Only Anthropic's own `messages` operation knows top_k.
  if (body.top_k !== undefined) return { provider, operation: 'messages', params: { ...params, topK: body.top_k } };
  return { provider, operation: 'chat.completions', params };
}

/** One Anthropic message as gateway turns: tool results become tool turns (before what else the user said). */
function messageFromAnthropic(message: unknown, index: number): Body[] {
  if (message === null || typeof message !== 'object') return [message as Body];
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (typeof content === 'string' || !Array.isArray(content)) return [{ role, content }];
  const blocks = content.filter((block): block is Body => block !== null && typeof block === 'object');
  if (role === 'assistant') {
    const text = blocks
      .filter((block) => block.type === 'text')
      .map((block) => (typeof block.text === 'string' ? block.text : ''))
      .join('');
    const toolCalls = blocks
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) }));
    return [{ role, content: text === '' && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 && { toolCalls }) }];
  }
  const toolTurns = blocks
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({ role: 'tool', toolCallId: block.tool_use_id, content: textOf(block.content) ?? '' }));
  const parts = blocks.filter((block) => block.type !== 'tool_result').map((block) => partFromAnthropic(block, index));
  return parts.length > 0 ? [...toolTurns, { role, content: parts }] : toolTurns;
}

/** Text stays text; an image becomes an OpenAI-style image_url part (a base64 source as a data URL). */
function partFromAnthropic(block: Body, index: number): Body {
  if (block.type === 'text') return { type: 'text', text: block.text };
  const source = block.source as { type?: unknown; media_type?: unknown; data?: unknown; url?: unknown } | undefined;
  if (block.type === 'image' && source?.type === 'base64')
    return { type: 'image_url', image_url: { url: `data:${String(source.media_type)};base64,${String(source.data)}` } };
  if (block.type === 'image' && source?.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
  throw GatewayError.validation([
    { field: `messages.${index}.content`, message: `block type ${String(block.type).slice(0, 32)} is not supported` },
  ]);
}

/** A string, or text blocks joined. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  return value.map((block: { text?: unknown }) => (typeof block?.text === 'string' ? block.text : '')).join('');
}

function toolsFromAnthropic(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool: { name?: unknown; description?: unknown; input_schema?: unknown } | null) =>
    tool === null || typeof tool !== 'object'
      ? tool
      : {
          type: 'function',
          function: {
            name: tool.name,
            ...(tool.description !== undefined && { description: tool.description }),
            parameters: tool.input_schema,
          },
        },
  );
}

function toolChoiceFromAnthropic(choice: unknown): Body {
  const {
    type,
    name,
    disable_parallel_tool_use: noParallel,
  } = (choice ?? {}) as { type?: unknown; name?: unknown; disable_parallel_tool_use?: unknown };
  const toolChoice =
    type === 'auto'
      ? 'auto'
      : type === 'any'
        ? 'required'
        : type === 'none'
          ? 'none'
          : type === 'tool' && typeof name === 'string'
            ? name
            : undefined;
  if (toolChoice === undefined)
    throw GatewayError.validation([{ field: 'tool_choice', message: "must be {type: 'auto' | 'any' | 'none'} or {type: 'tool', name}" }]);
  return { toolChoice, ...(noParallel === true && { parallelToolCalls: false }) };
}

const STOP_REASON: Readonly<Record<FinishReason, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  unknown: 'end_turn',
};

/** The normalized response as an Anthropic Message: a text block (if any text), then the tool_use blocks. */
export function messageToAnthropic(response: NormalizedResponse, requestId: string): Body {
  const content: Body[] = [];
  if (response.content) content.push({ type: 'text', text: response.content });
  for (const call of response.toolCalls ?? [])
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) });
  return {
    id: `msg_${requestId}`,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content,
    stop_reason: STOP_REASON[response.finishReason],
    stop_sequence: null,
    usage: { input_tokens: response.usage.promptTokens, output_tokens: response.usage.completionTokens },
  };
}

function parseInput(argumentsText: string): unknown {
  try {
    return JSON.parse(argumentsText) as unknown;
  } catch {
    return {};
  }
}

/**
 * A stream in Anthropic's event sequence: message_start, then per content block
 * content_block_start / content_block_delta (text_delta, input_json_delta) / content_block_stop,
 * then message_delta (stop reason, usage) and message_stop.
 */
export class AnthropicEventWriter {
  private started = false;
  private model: string;
  private nextBlock = 0;
  private openBlock: { index: number; kind: 'text' | 'tool'; toolIndex?: number } | undefined;
  private readonly blockByTool = new Map<number, number>();

  constructor(
    private readonly out: EventStreamWriter,
    private readonly requestId: string,
    requestedModel: string,
  ) {
    this.model = requestedModel;
  }

  answeringModel(name: string): void {
    this.model = name;
  }

  delta(text: string): void {
    this.start();
    if (this.openBlock?.kind !== 'text') this.open({ type: 'text', text: '' }, 'text');
    this.out.event('content_block_delta', {
      type: 'content_block_delta',
      index: this.openBlock!.index,
      delta: { type: 'text_delta', text },
    });
  }

  toolCall({ index, id, name, arguments: argumentsPart }: ToolCallDelta): void {
    this.start();
    if (!this.blockByTool.has(index)) {
      this.open({ type: 'tool_use', id: id ?? '', name: name ?? '', input: {} }, 'tool', index);
      this.blockByTool.set(index, this.openBlock!.index);
    }
    if (argumentsPart) {
      this.out.event('content_block_delta', {
        type: 'content_block_delta',
        index: this.blockByTool.get(index)!,
        delta: { type: 'input_json_delta', partial_json: argumentsPart },
      });
    }
  }

  end(final: FinalStreamChunk): void {
    this.start();
    this.close();
    this.out.event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: STOP_REASON[final.finishReason], stop_sequence: null },
      usage: { input_tokens: final.usage.promptTokens, output_tokens: final.usage.completionTokens },
    });
    this.out.lastEvent('message_stop', { type: 'message_stop' });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.out.event('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${this.requestId}`,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  private open(block: Body, kind: 'text' | 'tool', toolIndex?: number): void {
    this.close();
    this.openBlock = { index: this.nextBlock++, kind, toolIndex };
    this.out.event('content_block_start', { type: 'content_block_start', index: this.openBlock.index, content_block: block });
  }

  private close(): void {
    if (!this.openBlock) return;
    this.out.event('content_block_stop', { type: 'content_block_stop', index: this.openBlock.index });
    this.openBlock = undefined;
  }
}
