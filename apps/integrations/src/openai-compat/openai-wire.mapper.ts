import { GatewayError } from '@app/common';
import type { NormalizedResponse } from '@app/normalization';
import type { FinalStreamChunk, ToolCallDelta } from '@app/providers';
import type { ExecuteRequest } from '../execute/execute-request.js';
import { routeModel } from '../execute/model-route.js';

type Body = Record<string, unknown>;

/** OpenAI request fields that have a gateway equivalent; anything else is passed on to be refused by name. */
const CHAT_FIELDS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'topP',
  stop: 'stop',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  seed: 'seed',
  user: 'user',
  tools: 'tools',
  parallel_tool_calls: 'parallelToolCalls',
  logit_bias: 'logitBias',
  reasoning_effort: 'reasoningEffort',
  stream: 'stream',
};

export function chatRequestFromOpenAi(body: Body, providers: string[]): ExecuteRequest & { includeUsage: boolean } {
  const { provider, model } = routeModel(body.model, providers, 'openai');
  const params: Record<string, unknown> = {
    model,
    messages: Array.isArray(body.messages) ? body.messages.map(messageFromOpenAi) : body.messages,
  };
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || value === null || field === 'model' || field === 'messages' || field === 'stream_options' || field === 'n')
      continue;
    if (field === 'max_tokens' || field === 'max_completion_tokens') params.maxTokens = value;
    else if (field === 'tool_choice') params.toolChoice = toolChoiceFromOpenAi(value);
    else if (field === 'response_format') params.responseFormat = responseFormatFromOpenAi(value);
    else params[Object.hasOwn(CHAT_FIELDS, field) ? CHAT_FIELDS[field] : field] = value;
  }
  if (body.n !== undefined && body.n !== 1) throw GatewayError.validation([{ field: 'n', message: 'only 1 choice is supported' }]);
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  return { provider, operation: 'chat.completions', params, includeUsage: streamOptions?.include_usage === true };
}

/** `'auto'`-style strings pass on (validation judges them); `{type: 'function', function: {name}}` names the tool; anything else is refused. */
function toolChoiceFromOpenAi(value: unknown): unknown {
  if (typeof value === 'string') return value;
  const named =
    value !== null && typeof value === 'object' ? (value as { type?: unknown; function?: { name?: unknown } | null }) : undefined;
  if (named?.type === 'function' && typeof named.function?.name === 'string') return named.function.name;
  throw GatewayError.validation([
    { field: 'tool_choice', message: "must be 'none', 'auto', 'required' or {type: 'function', function: {name}}" },
  ]);
}

/** `json_schema` becomes the gateway's `jsonSchema`; anything else is left for validation to judge. */
function responseFormatFromOpenAi(format: unknown): unknown {
  if (format === null || typeof format !== 'object' || !('json_schema' in format)) return format;
  const { json_schema: jsonSchema, ...rest } = format as Body;
  return { ...rest, jsonSchema };
}

/**
 * Fields of an answer's message that say nothing to the model when the message is sent back as
 * history, which is how SDK code continues a conversation (`messages.push(choice.message)`).
 */
const ANSWER_ONLY_FIELDS = ['refusal', 'annotations'];
const NULL_WHEN_UNUSED_FIELDS = ['audio', 'function_call'];

function messageFromOpenAi(message: unknown): unknown {
  if (message === null || typeof message !== 'object') return message;
  const { tool_calls: toolCalls, tool_call_id: toolCallId, ...rest } = message as Body;
  const converted: Body = { ...rest };
  for (const field of ANSWER_ONLY_FIELDS) delete converted[field];
  for (const field of NULL_WHEN_UNUSED_FIELDS) if (converted[field] === null) delete converted[field];
  if (!('content' in converted)) converted.content = null;
  if (toolCallId !== undefined) converted.toolCallId = toolCallId;
  if (Array.isArray(toolCalls)) {
    // Anything that is not a call object is passed on as it is, for validation to refuse by its path.
    converted.toolCalls = toolCalls.map((call: unknown) => {
      if (call === null || typeof call !== 'object') return call;
      const { id, function: fn } = call as { id?: unknown; function?: { name?: unknown; arguments?: unknown } | null };
      return { id, name: fn?.name, arguments: fn?.arguments };
    });
  }
  return converted;
}

export type EmbeddingEncoding = 'float' | 'base64';

/**
 * `encoding_format` decides only how the vectors are written back: the openai SDK asks for base64
 * unless told otherwise, and decodes it itself; upstreams are always asked for floats.
 */
export function embeddingsRequestFromOpenAi(body: Body, providers: string[]): ExecuteRequest & { encoding: EmbeddingEncoding } {
  const { provider, model } = routeModel(body.model, providers, 'openai');
  const params: Record<string, unknown> = { model, input: body.input };
  if (body.dimensions !== undefined) params.dimensions = body.dimensions;
  if (body.user !== undefined) params.user = body.user;
  const encoding = body.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    throw GatewayError.validation([{ field: 'encoding_format', message: "must be 'float' or 'base64'" }]);
  }
  return { provider, operation: 'embeddings', params, encoding };
}

const FINISH_REASON: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  unknown: 'stop',
};

export function chatCompletionToOpenAi(response: NormalizedResponse, requestId: string, requestedModel: string): Body {
  const toolCalls = response.toolCalls?.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: prefixed(requestedModel, response),
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: response.content, refusal: null, ...(toolCalls && { tool_calls: toolCalls }) },
        logprobs: null,
        finish_reason: FINISH_REASON[response.finishReason] ?? 'stop',
      },
    ],
    usage: {
      prompt_tokens: response.usage.promptTokens,
      completion_tokens: response.usage.completionTokens,
      total_tokens: response.usage.totalTokens,
    },
  };
}

export function embeddingsToOpenAi(response: NormalizedResponse, requestedModel: string, encoding: EmbeddingEncoding): Body {
  return {
    object: 'list',
    data: (response.embeddings ?? []).map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? float32Base64(vector) : vector,
    })),
    model: prefixed(requestedModel, response),
    usage: { prompt_tokens: response.usage.promptTokens, total_tokens: response.usage.totalTokens },
  };
}

/** Chunks in OpenAI's `chat.completion.chunk` format; the first one says the role. */
export class OpenAiChunkWriter {
  private readonly base: Body;
  private roleSent = false;

  /** `requestedModel` is reported until the upstream says which model answers (as whole answers report it). */
  constructor(
    requestId: string,
    private readonly requestedModel: string,
  ) {
    this.base = {
      id: `chatcmpl-${requestId}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: requestedModel,
    };
  }

  /** The upstream's model, prefixed with the provider when the caller named it that way (as `prefixed` does for whole answers). */
  answeringModel(provider: string, name: string): void {
    this.base.model = this.requestedModel.startsWith(`${provider}/`) ? `${provider}/${name}` : name;
  }

  delta(text: string): Body {
    return this.chunk({ content: text });
  }

  /** A piece of a tool call, as OpenAI streams them: id, type and name come with the first piece. */
  toolCall({ index, id, name, arguments: argumentsPart }: ToolCallDelta): Body {
    const fn: Body = {};
    if (name !== undefined) fn.name = name;
    if (argumentsPart !== undefined) fn.arguments = argumentsPart;
    return this.chunk({ tool_calls: [{ index, ...(id !== undefined && { id, type: 'function' }), function: fn }] });
  }

  private chunk(delta: Body): Body {
    const withRole = this.roleSent ? delta : { role: 'assistant', ...delta };
    this.roleSent = true;
    return { ...this.base, choices: [{ index: 0, delta: withRole, logprobs: null, finish_reason: null }] };
  }

  finish(final: FinalStreamChunk): Body {
    return { ...this.base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: FINISH_REASON[final.finishReason] ?? 'stop' }] };
  }

  usage(final: FinalStreamChunk): Body {
    return {
      ...this.base,
      choices: [],
      usage: {
        prompt_tokens: final.usage.promptTokens,
        completion_tokens: final.usage.completionTokens,
        total_tokens: final.usage.totalTokens,
      },
    };
  }
}

/** Report the model the way the caller named it (with its provider prefix when it used one). */
function prefixed(requestedModel: string, response: NormalizedResponse): string {
  return requestedModel.startsWith(`${response.provider}/`) ? `${response.provider}/${response.model}` : response.model;
}

/** OpenAI's base64 embedding: the vector as little-endian 32-bit floats. */
function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index], index * 4);
  return bytes.toString('base64');
}

/** `GET /v1/models`: each provider's default models, named the way `model` routes them. */
export function modelsToOpenAi(
  adapters: ReadonlyArray<{ name: string; operations: ReadonlyArray<{ defaultModel?: string }> }>,
  createdAt: number,
): Body {
  const ids = new Map<string, string>();
  for (const adapter of adapters) {
    for (const { defaultModel } of adapter.operations) {
      if (defaultModel) ids.set(adapter.name === 'openai' ? defaultModel : `${adapter.name}/${defaultModel}`, adapter.name);
    }
  }
  return { object: 'list', data: [...ids].map(([id, owner]) => ({ id, object: 'model', created: createdAt, owned_by: owner })) };
}
