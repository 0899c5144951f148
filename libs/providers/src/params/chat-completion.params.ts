import { anyObject, arrayOf, boolean, integer, number, object, oneOf, optional, string } from '@app/common';
import { FUNCTION_NAME, logitBias, messageContent, responseFormat, stringOrStringArray } from './custom-rules.js';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** A function the model may call, in the gateway's (OpenAI-shaped) vocabulary. */
export interface ToolFunctionParam {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
  /**
   * The model's arguments must follow `parameters` exactly (OpenAI Structured Outputs for tools).
   * Passed to OpenAI-style upstreams; Anthropic has no such switch, so it is accepted and not sent.
   */
  strict?: boolean;
}

export interface ToolParam {
  type: 'function';
  function: ToolFunctionParam;
}

/** A tool call the assistant made earlier in the conversation (for multi-turn tool use). */
export interface ToolCallParam {
  id: string;
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
}

/** JSON mode (`json_object`) or Structured Outputs (`json_schema`); `text` is every model's default. */
export type ResponseFormatParam = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; jsonSchema: JsonSchemaFormatParam };

export interface JsonSchemaFormatParam {
  name: string;
  description?: string;
  /** The JSON Schema the answer must follow. */
  schema?: Record<string, unknown>;
  /** Whether the provider must follow the schema exactly. */
  strict?: boolean;
}

export interface ChatMessageParam {
  role: ChatRole;
  /** null is how assistant tool-call turns say "no text". */
  content: string | object[] | null;
  name?: string;
  /** assistant turns: the tool calls the model made. */
  toolCalls?: ToolCallParam[];
  /** tool turns: which call this message answers. */
  toolCallId?: string;
}

/** `params` of a chat completion, in the gateway's camelCase vocabulary shared by every provider. */
export interface ChatCompletionParams {
  model?: string;
  messages: ChatMessageParam[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string | string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  /** An end-user id forwarded to the provider for abuse tracking. */
  user?: string;
  tools?: ToolParam[];
  /** 'auto', 'none', 'required', or the name of one tool the model must call. */
  toolChoice?: string;
  /** false: at most one tool call per answer. */
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormatParam;
  /** Token id → bias from -100 to 100. */
  logitBias?: Record<string, number>;
  /** For reasoning models: 'low', 'medium', 'high', … as the provider names them. */
  reasoningEffort?: string;
  /** Answer with server-sent events: `{delta, index}` chunks, then `{usage, finishReason, …}`. */
  stream?: boolean;
}

const TOOL = object<ToolParam>({
  type: oneOf(['function']),
  function: object<ToolFunctionParam>({
    name: string(FUNCTION_NAME),
    description: optional(string({ max: 4096 })),
    parameters: optional(anyObject()),
    strict: optional(boolean()),
  }),
});

const TOOL_CALL = object<ToolCallParam>({
  id: string({ min: 1, max: 256 }),
  name: string(FUNCTION_NAME),
  arguments: string(),
});

const CHAT_MESSAGE = object<ChatMessageParam>({
  role: oneOf(CHAT_ROLES),
  content: messageContent(),
  name: optional(string({ max: 64 })),
  toolCalls: optional(arrayOf(TOOL_CALL)),
  toolCallId: optional(string({ max: 256 })),
});

export const CHAT_COMPLETION_PARAMS = object<ChatCompletionParams>({
  model: optional(string({ min: 1, max: 256 })),
  messages: arrayOf(CHAT_MESSAGE, { min: 1 }),
  maxTokens: optional(integer({ min: 1 })),
  temperature: optional(number({ min: 0, max: 2 })),
  topP: optional(number({ min: 0, max: 1 })),
  stop: optional(stringOrStringArray({ maxItems: 4 })),
  presencePenalty: optional(number({ min: -2, max: 2 })),
  frequencyPenalty: optional(number({ min: -2, max: 2 })),
  seed: optional(integer()),
  user: optional(string({ max: 256 })),
  tools: optional(arrayOf(TOOL, { max: 128 })),
  toolChoice: optional(string({ max: 64 })),
  parallelToolCalls: optional(boolean()),
  responseFormat: optional(responseFormat()),
  logitBias: optional(logitBias()),
  reasoningEffort: optional(string({ pattern: /^[a-z]{1,16}$/, patternMessage: 'must be an effort level such as low, medium or high' })),
  stream: optional(boolean()),
});
