/**
 * A rough count of the prompt tokens in a call's params, before any tokenizer has seen them: about
 * four characters a token, plus a few tokens of framing per chat message. For estimates and the
 * context-window pre-flight, never for billing (the provider's usage is).
 */
export function estimatePromptTokens(params: Record<string, unknown>): number {
  let characters = 0;
  const collect = (value: unknown): void => {
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) for (const part of value) collect((part as { text?: unknown } | null)?.text ?? part);
  };
  collect(params.system);
  collect(params.prompt);
  collect(params.input);
  const messages = Array.isArray(params.messages) ? (params.messages as Array<{ content?: unknown } | null>) : [];
  for (const message of messages) collect(message?.content);
  return Math.ceil(characters / 4) + messages.length * 4;
}
