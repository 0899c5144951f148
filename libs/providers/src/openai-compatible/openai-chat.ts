import type { CustomProviderConfig } from './custom-providers.js';
import { normalizeFinishReason, normalizeUsage, type ToolCall } from '@app/normalization';
import type { ChatCompletionParams, ChatMessageParam, ResponseFormatParam, ToolParam } from '../params/chat-completion.params.js';
import type { AdapterResult } from '../provider-adapter.js';
import { expectObject, optionalString } from '../upstream/reply-reading.js';

/**
 * Where `maxTokens` goes: OpenAI itself has deprecated `max_tokens`, and its reasoning and newer
 * models refuse it, so OpenAI gets `max_completion_tokens`; most other compatible servers only know
 * `max_tokens` (custom providers choose, see CUSTOM_PROVIDERS).
 */
export type MaxTokensField = CustomProviderConfig['maxTokensField'];

/**
 * Chat completions in the OpenAI wire format, shared by OpenAI, HuggingFace's Messages API and every
 * OpenAI-compatible server. camelCase gateway params become snake_case upstream fields; absent params
 * are not sent at all, so the upstream's own defaults apply.
 */
export function toOpenAiChatBody(
  params: ChatCompletionParams,
  model: string,
  maxTokensField: MaxTokensField = 'max_tokens',
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: params.messages.map(toOpenAiMessage) };
  setIfDefined(body, maxTokensField, params.maxTokens);
  setIfDefined(body, 'temperature', params.temperature);
  setIfDefined(body, 'top_p', params.topP);
  setIfDefined(body, 'stop', params.stop);
  setIfDefined(body, 'presence_penalty', params.presencePenalty);
  setIfDefined(body, 'frequency_penalty', params.frequencyPenalty);
  setIfDefined(body, 'seed', params.seed);
  setIfDefined(body, 'user', params.user);
  setIfDefined(body, 'tools', params.tools?.map(toOpenAiTool));
  setIfDefined(body, 'tool_choice', params.toolChoice === undefined ? undefined : toOpenAiToolChoice(params.toolChoice));
  setIfDefined(body, 'parallel_tool_calls', params.parallelToolCalls);
  setIfDefined(body, 'response_format', params.responseFormat === undefined ? undefined : toOpenAiResponseFormat(params.responseFormat));
  setIfDefined(body, 'logit_bias', params.logitBias);
  setIfDefined(body, 'reasoning_effort', params.reasoningEffort);
  return body;
}

function toOpenAiMessage(message: ChatMessageParam): Record<string, unknown> {
  const wire: Record<string, unknown> = { role: message.role, content: message.content };
  setIfDefined(wire, 'name', message.name);
  setIfDefined(wire, 'tool_call_id', message.toolCallId);
  setIfDefined(
    wire,
    'tool_calls',
    message.toolCalls?.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  );
  return wire;
}

function toOpenAiTool(tool: ToolParam): Record<string, unknown> {
  const fn: Record<string, unknown> = { name: tool.function.name };
  setIfDefined(fn, 'description', tool.function.description);
  setIfDefined(fn, 'parameters', tool.function.parameters);
  setIfDefined(fn, 'strict', tool.function.strict);
  return { type: 'function', function: fn };
}

function toOpenAiResponseFormat(format: ResponseFormatParam): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  const jsonSchema: Record<string, unknown> = { name: format.jsonSchema.name };
  setIfDefined(jsonSchema, 'description', format.jsonSchema.description);
  setIfDefined(jsonSchema, 'schema', format.jsonSchema.schema);
  setIfDefined(jsonSchema, 'strict', format.jsonSchema.strict);
  return { type: 'json_schema', json_schema: jsonSchema };
}

function toOpenAiToolChoice(choice: string): unknown {
  return choice === 'auto' || choice === 'none' || choice === 'required' ? choice : { type: 'function', function: { name: choice } };
}

export function fromOpenAiChatCompletion(provider: string, requestedModel: string, replyBody: unknown): AdapterResult {
  const body = expectObject(replyBody, 'chat completion');
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const firstChoice = (choices[0] ?? {}) as Record<string, unknown>;
  const message = (firstChoice.message ?? {}) as Record<string, unknown>;
  const usage = (body.usage ?? {}) as Record<string, unknown>;
  const result: AdapterResult = {
    provider,
    model: optionalString(body.model) ?? requestedModel,
    content: typeof message.content === 'string' ? message.content : '',
    usage: normalizeUsage(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens),
    finishReason: normalizeFinishReason(firstChoice.finish_reason),
    metadata: {
      upstreamId: optionalString(body.id),
      systemFingerprint: optionalString(body.system_fingerprint),
    },
  };
  const toolCalls = readToolCalls(message.tool_calls);
  if (toolCalls.length > 0) result.toolCalls = toolCalls;
  return result;
}

function readToolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((call: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }) => {
    const name = call?.function?.name;
    if (typeof name !== 'string') return [];
    const args = call.function?.arguments;
    return [
      { id: typeof call.id === 'string' ? call.id : '', name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    ];
  });
}

function setIfDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
