import { isPlainObject } from '@app/common';

/**
 * The platform callers' `params` vocabulary (the Symbia Integrations wire) in the gateway's own: the
 * aliases those callers send are rewritten before the adapter validates, so one strict schema per
 * operation still decides what is accepted, and a field no provider can honour is still a 400.
 *
 * - `system` / `systemPrompt` / `instructions`: one system prompt (instructions > systemPrompt >
 *   system), sent as the operation takes it: `system` (Anthropic messages), `instructions`
 *   (responses) or a leading system message (chat operations).
 * - `prompt` without `messages` on chat operations: one user turn (with `image` on
 *   image.description: a text part and an image part).
 * - `text` without `input` on embeddings; `stopSequences` as `stop`.
 * - `responseFormat: "json" | "json_object" | "json_schema" | "text"` (+ `jsonSchema`) as the
 *   structured form; tool choices and tools in OpenAI's or Anthropic's object form as ours.
 * - messages' `tool_call_id` and OpenAI-shaped `tool_calls`.
 * - on `responses` (which takes OpenAI's Responses fields as they are): `messages`/`prompt` as
 *   `input`, `maxTokens`, `topP`, `toolChoice`, `parallelToolCalls`, `reasoningEffort` and
 *   `responseFormat` in OpenAI's names.
 */
export function fromPlatformParams(operation: string, params: Record<string, unknown>): Record<string, unknown> {
  if (operation === 'responses') return responsesParams(params);
  if (!hasAny(params, ALIASES) && !messagesNeedRewriting(params.messages)) return params;
  const out: Record<string, unknown> = { ...params };
  moveSystemPrompt(operation, out);
  if (CHAT_OPERATIONS.has(operation)) promptAsMessages(operation, out);
  if (operation === 'embeddings') rename(out, 'text', 'input');
  rename(out, 'stopSequences', 'stop');
  responseFormatAsObject(out);
  if (out.toolChoice !== undefined) out.toolChoice = toolChoiceName(out.toolChoice);
  if (Array.isArray(out.tools)) out.tools = out.tools.map(openAiTool);
  if (Array.isArray(out.messages)) out.messages = out.messages.map(camelCaseMessage);
  return out;
}

const CHAT_OPERATIONS = new Set(['chat.completions', 'image.description']);
const SYSTEM_ALIASES = ['instructions', 'systemPrompt', 'system'] as const;
const ALIASES = [...SYSTEM_ALIASES, 'prompt', 'image', 'text', 'stopSequences', 'responseFormat', 'jsonSchema', 'toolChoice', 'tools'];
/** Where each operation takes its system prompt; chat operations take it as the first message. */
const NATIVE_SYSTEM_FIELD: Readonly<Record<string, string>> = { messages: 'system', responses: 'instructions' };

/** The platform's camelCase Responses params → OpenAI's Responses fields (which the operation takes as they are). */
const RESPONSES_NAMES: Readonly<Record<string, string>> = {
  maxTokens: 'max_output_tokens',
  topP: 'top_p',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'parallel_tool_calls',
};

function responsesParams(params: Record<string, unknown>): Record<string, unknown> {
  if (!hasAny(params, [...SYSTEM_ALIASES, 'messages', 'prompt', 'reasoningEffort', 'responseFormat', ...Object.keys(RESPONSES_NAMES)])) {
    return params;
  }
  const out: Record<string, unknown> = { ...params };
  moveSystemPrompt('responses', out);
  rename(out, 'messages', 'input');
  rename(out, 'prompt', 'input');
  for (const [from, to] of Object.entries(RESPONSES_NAMES)) rename(out, from, to);
  if (typeof out.reasoningEffort === 'string' && out.reasoning === undefined) {
    out.reasoning = { effort: out.reasoningEffort };
    delete out.reasoningEffort;
  }
  const format = out.responseFormat;
  if (typeof format === 'string' && out.text === undefined) {
    const schema = out.jsonSchema;
    out.text = {
      format:
        format === 'json_schema' && isPlainObject(schema)
          ? { type: 'json_schema', ...schema }
          : { type: format === 'text' ? 'text' : 'json_object' },
    };
    delete out.responseFormat;
    delete out.jsonSchema;
  }
  return out;
}

function hasAny(params: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.some((key) => params[key] !== undefined);
}

function moveSystemPrompt(operation: string, out: Record<string, unknown>): void {
  const native = NATIVE_SYSTEM_FIELD[operation];
  if (native !== undefined && out[native] !== undefined) return;
  const alias = SYSTEM_ALIASES.find((key) => typeof out[key] === 'string');
  if (alias === undefined || (native === undefined && !CHAT_OPERATIONS.has(operation))) return;
  const prompt = out[alias];
  delete out[alias];
  if (native !== undefined) {
    out[native] = prompt;
    return;
  }
  // The caller's chat turns, after the system prompt; an absent `messages` is left for `prompt` (or the 400).
  const turns = Array.isArray(out.messages) ? out.messages : out.prompt !== undefined ? [] : undefined;
  if (turns !== undefined) out.messages = [{ role: 'system', content: prompt }, ...(turns as unknown[])];
  else out[alias] = prompt;
}

function promptAsMessages(operation: string, out: Record<string, unknown>): void {
  const { prompt, image } = out;
  if (typeof prompt !== 'string' && typeof image !== 'string') return;
  const existing = Array.isArray(out.messages) ? (out.messages as unknown[]) : [];
  if (existing.some((message) => (message as { role?: unknown } | null)?.role !== 'system')) return;
  const text = typeof prompt === 'string' ? prompt : 'Describe this image.';
  const content =
    operation === 'image.description' && typeof image === 'string'
      ? [
          { type: 'text', text },
          { type: 'image_url', image_url: { url: image } },
        ]
      : text;
  delete out.prompt;
  if (operation === 'image.description') delete out.image;
  out.messages = [...existing, { role: 'user', content }];
}

function rename(out: Record<string, unknown>, from: string, to: string): void {
  if (out[from] === undefined || out[to] !== undefined) return;
  out[to] = out[from];
  delete out[from];
}

function responseFormatAsObject(out: Record<string, unknown>): void {
  const format = out.responseFormat;
  const schema = out.jsonSchema;
  if (typeof format !== 'string' && schema === undefined) return;
  if (format !== undefined && typeof format !== 'string') return;
  const type = format === 'json' ? 'json_object' : (format ?? 'json_schema');
  delete out.jsonSchema;
  out.responseFormat = type === 'json_schema' ? { type, jsonSchema: schema } : { type };
}

/** OpenAI's `{type: 'function', function: {name}}` or Anthropic's `{type: 'any' | 'tool' | …}` as our string. */
function toolChoiceName(choice: unknown): unknown {
  if (choice === null || typeof choice !== 'object') return choice;
  const { type, name, function: fn } = choice as { type?: unknown; name?: unknown; function?: { name?: unknown } };
  if (type === 'function' && typeof fn?.name === 'string') return fn.name;
  if (type === 'tool' && typeof name === 'string') return name;
  if (type === 'any') return 'required';
  if (type === 'auto' || type === 'none') return type;
  return choice;
}

/** Anthropic's tool shape (`{name, description, input_schema}`) as OpenAI's function tool. */
function openAiTool(tool: unknown): unknown {
  if (tool === null || typeof tool !== 'object' || 'function' in tool) return tool;
  const { name, description, input_schema: parameters } = tool as { name?: unknown; description?: unknown; input_schema?: unknown };
  if (typeof name !== 'string') return tool;
  return {
    type: 'function',
    function: { name, ...(description !== undefined && { description }), ...(parameters !== undefined && { parameters }) },
  };
}

function messagesNeedRewriting(messages: unknown): boolean {
  return (
    Array.isArray(messages) && messages.some((message) => isPlainObject(message) && ('tool_call_id' in message || 'tool_calls' in message))
  );
}

function camelCaseMessage(message: unknown): unknown {
  if (!isPlainObject(message) || !('tool_call_id' in message || 'tool_calls' in message)) return message;
  const { tool_call_id: toolCallId, tool_calls: toolCalls, ...rest } = message;
  return {
    ...rest,
    ...(toolCallId !== undefined && { toolCallId }),
    ...(toolCalls !== undefined && { toolCalls: Array.isArray(toolCalls) ? toolCalls.map(flatToolCall) : toolCalls }),
  };
}

/** OpenAI's `{id, type: 'function', function: {name, arguments}}` as our `{id, name, arguments}`. */
function flatToolCall(call: unknown): unknown {
  if (!isPlainObject(call) || !isPlainObject(call.function)) return call;
  return { id: call.id, name: call.function.name, arguments: call.function.arguments };
}
