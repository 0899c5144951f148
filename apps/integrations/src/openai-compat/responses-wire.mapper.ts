import { GatewayError, type FieldViolation } from '@app/common';
import type { FinishReason, NormalizedResponse } from '@app/normalization';
import type { FinalStreamChunk, ToolCallDelta } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import type { EventStreamWriter } from '../http/event-stream.js';
import { routeModel } from '../execute/model-route.js';

type Body = Record<string, unknown>;

/** Responses fields the gateway honours; anything else is refused by name. */
const FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'text',
  'max_output_tokens',
  'temperature',
  'top_p',
  'parallel_tool_calls',
  'reasoning',
  'user',
  'stream',
  'store',
]);

/**
 * A Responses API request on the gateway's own model, stateless. OpenAI gets it as the Responses API
 * (its `responses` operation); every other provider gets it translated to chat: `instructions` as a
 * system turn, input messages (input_text, input_image) as turns, function_call items as the
 * assistant's tool calls, function_call_output items as tool turns, function tools as tools,
 * `text.format` as the response format, `max_output_tokens` as maxTokens.
 */
export function responsesRequestFromOpenAi(body: Body, providers: string[]): ExecuteRequest {
  const violations: FieldViolation[] = Object.keys(body)
    .filter((field) => !FIELDS.has(field))
    .map((field) =>
      field === 'previous_response_id'
        ? { field, message: 'is not supported: this gateway keeps no responses (send the whole conversation as input)' }
        : { field, message: 'is not a supported field' },
    );
  if (body.store === true) violations.push({ field: 'store', message: 'must be false or absent: this gateway keeps no responses' });
  if (violations.length > 0) throw GatewayError.validation(violations);
  const { provider, model } = routeModel(body.model, providers, 'openai');
  const { store: _store, model: _model, ...rest } = body;
  if (provider === 'openai') return { provider, operation: 'responses', params: { ...rest, model } };
  return { provider, operation: 'chat.completions', params: chatParams(body, model) };
}

function chatParams(body: Body, model: string): Body {
  const messages: Body[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else if (Array.isArray(body.input)) messages.push(...inputItems(body.input));
  else throw GatewayError.validation([{ field: 'input', message: 'must be a string or an array of input items' }]);
  const params: Body = { model, messages };
  if (body.max_output_tokens !== undefined) params.maxTokens = body.max_output_tokens;
  if (body.temperature !== undefined) params.temperature = body.temperature;
  if (body.top_p !== undefined) params.topP = body.top_p;
  if (body.parallel_tool_calls !== undefined) params.parallelToolCalls = body.parallel_tool_calls;
  if (body.user !== undefined) params.user = body.user;
  if (body.stream === true) params.stream = true;
  const effort = (body.reasoning as { effort?: unknown } | undefined)?.effort;
  if (effort !== undefined) params.reasoningEffort = effort;
  if (body.tools !== undefined) params.tools = toolsOf(body.tools);
  if (body.tool_choice !== undefined) params.toolChoice = toolChoiceOf(body.tool_choice);
  const format = (body.text as { format?: Body } | undefined)?.format;
  if (format !== undefined) params.responseFormat = responseFormatOf(format);
  return params;
}

/** Input items as chat turns; consecutive function_call items make one assistant turn. */
function inputItems(items: unknown[]): Body[] {
  const turns: Body[] = [];
  for (const [index, raw] of items.entries()) {
    const item = (raw ?? {}) as Body;
    if (item.type === 'function_call') {
      const call = { id: item.call_id, name: item.name, arguments: item.arguments };
      const last = turns.at(-1);
      if (last?.role === 'assistant' && Array.isArray(last.toolCalls)) (last.toolCalls as unknown[]).push(call);
      else turns.push({ role: 'assistant', content: null, toolCalls: [call] });
    } else if (item.type === 'function_call_output') {
      turns.push({
        role: 'tool',
        toolCallId: item.call_id,
        content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? ''),
      });
    } else if (item.type === undefined || item.type === 'message') {
      turns.push({ role: item.role, content: typeof item.content === 'string' ? item.content : partsOf(item.content, index) });
    } else {
      throw GatewayError.validation([
        {
          field: `input.${index}.type`,
          message: `${typeof item.type === 'string' ? item.type.slice(0, 32) : 'these'} items are not supported`,
        },
      ]);
    }
  }
  return turns;
}

function partsOf(content: unknown, index: number): unknown {
  if (!Array.isArray(content)) return content;
  return content.map((part: Body | null) => {
    if (part?.type === 'input_text' || part?.type === 'output_text') return { type: 'text', text: part.text };
    if (part?.type === 'input_image') return { type: 'image_url', image_url: { url: part.image_url } };
    throw GatewayError.validation([
      { field: `input.${index}.content`, message: `part type ${String(part?.type).slice(0, 32)} is not supported` },
    ]);
  });
}

function toolsOf(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool: Body | null, index) => {
    if (tool?.type !== 'function') {
      throw GatewayError.validation([
        { field: `tools.${index}.type`, message: 'only function tools are supported (no built-in tools such as web search)' },
      ]);
    }
    const fn: Body = { name: tool.name };
    for (const field of ['description', 'parameters', 'strict'])
      if (tool[field] !== undefined && tool[field] !== null) fn[field] = tool[field];
    return { type: 'function', function: fn };
  });
}

function toolChoiceOf(choice: unknown): unknown {
  if (typeof choice === 'string') return choice;
  const named = choice as { type?: unknown; name?: unknown } | null;
  if (named?.type === 'function' && typeof named.name === 'string') return named.name;
  throw GatewayError.validation([{ field: 'tool_choice', message: "must be 'auto', 'none', 'required' or {type: 'function', name}" }]);
}

function responseFormatOf(format: Body): unknown {
  if (format.type !== 'json_schema') return { type: format.type };
  const jsonSchema: Body = { name: format.name };
  for (const field of ['description', 'schema', 'strict']) if (format[field] !== undefined) jsonSchema[field] = format[field];
  return { type: 'json_schema', jsonSchema };
}

/** The fields of a Response object that do not depend on the answer. */
function responseBase(requestId: string, model: string, createdAt: number): Body {
  return {
    id: `resp_${requestId}`,
    object: 'response',
    created_at: createdAt,
    model,
    error: null,
    incomplete_details: null,
    previous_response_id: null,
    store: false,
    metadata: {},
  };
}

function usageOf(usage: { promptTokens: number; completionTokens: number; totalTokens: number }): Body {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.totalTokens,
  };
}

function messageItem(requestId: string, text: string, status: 'in_progress' | 'completed'): Body {
  return {
    type: 'message',
    id: `msg_${requestId}`,
    status,
    role: 'assistant',
    content: status === 'completed' ? [{ type: 'output_text', text, annotations: [] }] : [],
  };
}

function functionCallItem(id: string, name: string, argumentsText: string, status: 'in_progress' | 'completed'): Body {
  return { type: 'function_call', id: `fc_${id}`, call_id: id, name, arguments: argumentsText, status };
}

/** The normalized response as a Response object (status, output items, usage). */
export function responseToOpenAi(response: NormalizedResponse, requestId: string): Body {
  const output: Body[] = [];
  if (response.content) output.push(messageItem(requestId, response.content, 'completed'));
  for (const call of response.toolCalls ?? []) output.push(functionCallItem(call.id, call.name, call.arguments, 'completed'));
  return {
    ...responseBase(requestId, response.model, Math.floor(Date.now() / 1000)),
    ...outcomeOf(response.finishReason),
    output,
    usage: usageOf(response.usage),
  };
}

/** A finished response's status: cut short by the token limit or a content filter is `incomplete`, with the reason. */
function outcomeOf(finishReason: FinishReason): { status: 'completed' } | { status: 'incomplete'; incomplete_details: Body } {
  if (finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed' };
}

/**
 * A stream as the Responses API's typed events, each with its sequence_number: response.created,
 * then per output item output_item.added, (content_part.added, output_text.delta…, output_text.done,
 * content_part.done) or (function_call_arguments.delta…, function_call_arguments.done),
 * output_item.done, and response.completed with the whole response and its usage.
 */
export class ResponsesEventWriter {
  private sequence = 0;
  private started = false;
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private model: string;
  private readonly output: Body[] = [];
  private open:
    | { outputIndex: number; kind: 'text'; text: string }
    | { outputIndex: number; kind: 'call'; id: string; name: string; arguments: string }
    | undefined;
  private readonly outputByTool = new Map<number, number>();

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
    if (this.open?.kind !== 'text') {
      this.closeItem();
      this.open = { outputIndex: this.output.length, kind: 'text', text: '' };
      this.output.push(messageItem(this.requestId, '', 'in_progress'));
      this.emit('response.output_item.added', {
        output_index: this.open.outputIndex,
        item: messageItem(this.requestId, '', 'in_progress'),
      });
      this.emit('response.content_part.added', {
        item_id: `msg_${this.requestId}`,
        output_index: this.open.outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
    }
    this.open.text += text;
    this.emit('response.output_text.delta', {
      item_id: `msg_${this.requestId}`,
      output_index: this.open.outputIndex,
      content_index: 0,
      delta: text,
    });
  }

  toolCall({ index, id, name, arguments: argumentsPart }: ToolCallDelta): void {
    this.start();
    if (!this.outputByTool.has(index)) {
      this.closeItem();
      const callId = id ?? `call_${this.requestId}_${index}`;
      this.open = { outputIndex: this.output.length, kind: 'call', id: callId, name: name ?? '', arguments: '' };
      this.outputByTool.set(index, this.open.outputIndex);
      this.output.push(functionCallItem(callId, name ?? '', '', 'in_progress'));
      this.emit('response.output_item.added', {
        output_index: this.open.outputIndex,
        item: functionCallItem(callId, name ?? '', '', 'in_progress'),
      });
    }
    if (argumentsPart && this.open?.kind === 'call') {
      this.open.arguments += argumentsPart;
      this.emit('response.function_call_arguments.delta', {
        item_id: `fc_${this.open.id}`,
        output_index: this.open.outputIndex,
        delta: argumentsPart,
      });
    }
  }

  end(final: FinalStreamChunk): void {
    this.start();
    this.closeItem();
    const outcome = outcomeOf(final.finishReason);
    this.emit(
      `response.${outcome.status}`,
      {
        response: {
          ...responseBase(this.requestId, this.model, this.createdAt),
          ...outcome,
          output: this.output,
          usage: usageOf(final.usage),
        },
      },
      { last: true },
    );
  }

  error(code: string, message: string): void {
    this.emit('error', { code, message, param: null });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const response = { ...responseBase(this.requestId, this.model, this.createdAt), status: 'in_progress', output: [], usage: null };
    this.emit('response.created', { response });
    this.emit('response.in_progress', { response });
  }

  private closeItem(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    if (open.kind === 'text') {
      const itemId = `msg_${this.requestId}`;
      this.emit('response.output_text.done', { item_id: itemId, output_index: open.outputIndex, content_index: 0, text: open.text });
      this.emit('response.content_part.done', {
        item_id: itemId,
        output_index: open.outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: open.text, annotations: [] },
      });
      this.output[open.outputIndex] = messageItem(this.requestId, open.text, 'completed');
    } else {
      this.emit('response.function_call_arguments.done', {
        item_id: `fc_${open.id}`,
        output_index: open.outputIndex,
        arguments: open.arguments,
      });
      this.output[open.outputIndex] = functionCallItem(open.id, open.name, open.arguments, 'completed');
    }
    this.emit('response.output_item.done', { output_index: open.outputIndex, item: this.output[open.outputIndex] });
  }

  private emit(type: string, payload: Body, { last = false } = {}): void {
    const frame = { type, sequence_number: this.sequence++, ...payload };
    if (last) this.out.lastEvent(type, frame);
    else this.out.event(type, frame);
  }
}
