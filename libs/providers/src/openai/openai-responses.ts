import { anyObject, arrayOf, boolean, integer, number, object, optional, satisfies, string, type Rule } from '@app/common';
import { normalizeUsage, tokenCount, type FinishReason, type ToolCall } from '@app/normalization';
import { operation, type AnyOperation } from '../operation-table.js';
import { UpstreamStreamError, type StreamDecoder, type StreamUpdate } from '../streaming/stream-types.js';
import type { AdapterResult } from '../provider-adapter.js';
import { expectObject } from '../upstream/reply-reading.js';
import type { UpstreamRequest } from '../upstream/upstream-types.js';

/**
 * OpenAI's Responses API, stateless (the gateway keeps nothing, so `store` is always false and
 * `previous_response_id` is refused before it gets here): the request goes to OpenAI as the caller
 * wrote it, within the fields below; the reply is normalized like any other.
 */
export interface ResponsesParams {
  model?: string;
  input: string | Array<Record<string, unknown>>;
  instructions?: string;
  tools?: Array<Record<string, unknown>>;
  tool_choice?: string | Record<string, unknown>;
  text?: Record<string, unknown>;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
  parallel_tool_calls?: boolean;
  reasoning?: Record<string, unknown>;
  user?: string;
  stream?: boolean;
}

const INPUT: Rule<string | Array<Record<string, unknown>>> = satisfies(
  (value) =>
    (typeof value === 'string' && value.length > 0) ||
    (Array.isArray(value) && value.length > 0 && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))),
  'must be a non-empty string or a non-empty array of input items',
);

export const RESPONSES_PARAMS = object<ResponsesParams>({
  model: optional(string({ min: 1, max: 256 })),
  input: INPUT,
  instructions: optional(string()),
  tools: optional(arrayOf(anyObject(), { max: 128 })),
  tool_choice: optional(
    satisfies<string | Record<string, unknown>>(
      (value) => typeof value === 'string' || (value !== null && typeof value === 'object'),
      'must be a string or an object',
    ),
  ),
  text: optional(anyObject()),
  max_output_tokens: optional(integer({ min: 1 })),
  temperature: optional(number({ min: 0, max: 2 })),
  top_p: optional(number({ min: 0, max: 1 })),
  parallel_tool_calls: optional(boolean()),
  reasoning: optional(anyObject()),
  user: optional(string({ max: 256 })),
  stream: optional(boolean()),
});

/** The `responses` operation of an OpenAI upstream at `baseUrl`. */
export function responsesOperation(
  provider: string,
  defaultModel: string,
  request: (path: string, apiKey: string | undefined, body: Record<string, unknown>) => UpstreamRequest,
): AnyOperation {
  const body = ({ stream: _stream, ...params }: ResponsesParams, model: string) => ({ ...params, model, store: false });
  return operation<ResponsesParams>({
    description: 'OpenAI Responses API (stateless)',
    defaultModel,
    schema: RESPONSES_PARAMS,
    build: (params, model, apiKey) => request('/responses', apiKey, body(params, model)),
    normalize: (_params, model, reply) => fromResponse(provider, model, reply.body),
    stream: (params, model, apiKey) => ({
      request: request('/responses', apiKey, { ...body(params, model), stream: true }),
      decoder: new ResponsesStreamDecoder(),
    }),
  });
}

/** A Responses object as the normalized shape: the output text, function calls as tool calls, usage. */
export function fromResponse(provider: string, requestedModel: string, replyBody: unknown): AdapterResult {
  const response = expectObject(replyBody, 'responses');
  const output = Array.isArray(response.output) ? (response.output as Array<Record<string, unknown>>) : [];
  const usage = (response.usage ?? {}) as Record<string, unknown>;
  const text = output
    .filter((item) => item?.type === 'message' && Array.isArray(item.content))
    .flatMap((item) => item.content as Array<Record<string, unknown>>)
    .map((part) => (part?.type === 'output_text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
  const toolCalls: ToolCall[] = output
    .filter((item) => item?.type === 'function_call' && typeof item.name === 'string')
    .map((item) => ({
      id: typeof item.call_id === 'string' ? item.call_id : '',
      name: item.name as string,
      arguments: typeof item.arguments === 'string' ? item.arguments : '{}',
    }));
  return {
    provider,
    model: typeof response.model === 'string' ? response.model : requestedModel,
    content: text,
    usage: normalizeUsage(usage.input_tokens, usage.output_tokens, usage.total_tokens),
    finishReason: finishReasonOf(response, toolCalls.length > 0),
    ...(toolCalls.length > 0 && { toolCalls }),
    metadata: { ...(typeof response.id === 'string' && { upstreamId: response.id }) },
  };
}

function finishReasonOf(response: Record<string, unknown>, calledTools: boolean): FinishReason {
  if (calledTools) return 'tool_calls';
  const reason = (response.incomplete_details as { reason?: unknown } | null | undefined)?.reason;
  if (response.status === 'incomplete') return reason === 'content_filter' ? 'content_filter' : 'length';
  return 'stop';
}

/**
 * The Responses event stream: text deltas, function calls (announced by response.output_item.added,
 * then their arguments' deltas), and response.completed with the usage, which ends it.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private readonly toolIndexByOutput = new Map<unknown, number>();
  private calledTools = false;

  decode({ event, data }: { event?: string; data: string }): StreamUpdate[] {
    const payload = JSON.parse(data) as Record<string, unknown> | null;
    if (payload === null || typeof payload !== 'object') return [];
    const type = event ?? payload.type;
    if (type === 'response.created' || type === 'response.in_progress') {
      const model = (payload.response as { model?: unknown } | undefined)?.model;
      return typeof model === 'string' ? [{ model }] : [];
    }
    if (type === 'response.output_text.delta')
      return typeof payload.delta === 'string' && payload.delta !== '' ? [{ delta: payload.delta }] : [];
    const item = payload.item as Record<string, unknown> | undefined;
    if (type === 'response.output_item.added' && item?.type === 'function_call') {
      const index = this.toolIndexByOutput.size;
      this.toolIndexByOutput.set(payload.output_index, index);
      this.calledTools = true;
      return [
        {
          toolCalls: [
            {
              index,
              ...(typeof item.call_id === 'string' && { id: item.call_id }),
              ...(typeof item.name === 'string' && { name: item.name }),
              arguments: '',
            },
          ],
        },
      ];
    }
    if (type === 'response.function_call_arguments.delta') {
      const index = this.toolIndexByOutput.get(payload.output_index);
      return index === undefined || typeof payload.delta !== 'string' ? [] : [{ toolCalls: [{ index, arguments: payload.delta }] }];
    }
    if (type === 'response.completed' || type === 'response.incomplete') {
      const response = (payload.response ?? {}) as Record<string, unknown>;
      const usage = (response.usage ?? {}) as Record<string, unknown>;
      const update: StreamUpdate = { end: true, finishReason: finishReasonOf(response, this.calledTools) };
      update.promptTokens = tokenCount(usage.input_tokens);
      update.completionTokens = tokenCount(usage.output_tokens);
      if (update.promptTokens === undefined || update.completionTokens === undefined) update.usageInvalid = true;
      return [update];
    }
    if (type === 'response.failed' || type === 'error') {
      const error = (payload.error ?? (payload.response as { error?: unknown } | undefined)?.error) as { message?: unknown } | undefined;
      throw new UpstreamStreamError(
        typeof error?.message === 'string' ? error.message : typeof payload.message === 'string' ? payload.message : 'stream error',
      );
    }
    return [];
  }
}
