import { Inject, Injectable } from '@nestjs/common';
import { anthropicConfig, type AnthropicProviderConfig } from './anthropic.config.js';
import { operation, TableAdapter, type AnyOperation } from '../operation-table.js';
import { imageDescription } from '../params/image-description.js';
import { type ChatCompletionParams } from '../params/chat-completion.params.js';
import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { mapAnthropicError } from './anthropic-errors.js';
import { ANTHROPIC_CHAT_PARAMS, ANTHROPIC_MESSAGES_PARAMS, type AnthropicMessagesParams } from './anthropic-messages.params.js';
import { fromAnthropicMessage, toAnthropicBody } from './anthropic-messages.js';
import { AnthropicStreamDecoder } from './anthropic-stream.decoder.js';

const ANTHROPIC_VERSION = '2023-06-01';
/** Gateway params Anthropic has no equivalent for: refused rather than silently ignored. */
const UNSUPPORTED_PARAMS = ['presencePenalty', 'frequencyPenalty', 'seed', 'logitBias', 'reasoningEffort'] as const;

/** Anthropic's Messages API, for `messages` and (translated from OpenAI style) `chat.completions`. */
@Injectable()
export class AnthropicAdapter extends TableAdapter {
  readonly name = anthropicConfig.name;
  readonly displayName = 'Anthropic';
  readonly timeoutMs: number;
  readonly baseUrl: string;
  protected readonly table: Readonly<Record<string, AnyOperation>>;
  private readonly config: AnthropicProviderConfig;

  constructor(@Inject(anthropicConfig.token) config: AnthropicProviderConfig) {
    super();
    this.config = config;
    this.timeoutMs = this.config.timeoutMs;
    this.baseUrl = this.config.baseUrl;
    // Both operations speak the chat vocabulary (`messages` adds Anthropic's system and topK): one definition.
    const messages = {
      defaultModel: this.config.defaultModel,
      refine: refuseWhatAnthropicLacks,
      build: (params: AnthropicMessagesParams, model: string, apiKey: string | undefined) => this.request(params, model, apiKey),
      normalize: (_params: AnthropicMessagesParams, model: string, reply: UpstreamReply) =>
        fromAnthropicMessage(this.name, model, reply.body),
      stream: (params: AnthropicMessagesParams, model: string, apiKey: string | undefined) => {
        const request = this.request(params, model, apiKey);
        return {
          request: { ...request, body: { ...(request.body as object), stream: true } },
          decoder: new AnthropicStreamDecoder(this.name),
        };
      },
    };
    this.table = {
      messages: operation<AnthropicMessagesParams>({
        description: 'Anthropic Messages (accepts an optional top-level system)',
        schema: ANTHROPIC_MESSAGES_PARAMS,
        ...messages,
      }),
      'chat.completions': operation<AnthropicMessagesParams>({
        description: 'OpenAI-style chat, translated to Anthropic Messages',
        schema: ANTHROPIC_CHAT_PARAMS,
        ...messages,
      }),
      'image.description': operation<AnthropicMessagesParams>(
        imageDescription({ description: '', schema: ANTHROPIC_CHAT_PARAMS, ...messages }),
      ),
    };
  }

  probeRequest(apiKey: string | undefined): UpstreamRequest {
    return { url: `${this.config.baseUrl}/v1/models`, headers: this.headers(apiKey) };
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapAnthropicError(this.name, reply);
  }

  private request(params: AnthropicMessagesParams, model: string, apiKey: string | undefined): UpstreamRequest {
    return {
      url: `${this.config.baseUrl}/v1/messages`,
      headers: this.headers(apiKey),
      body: toAnthropicBody(params, model, this.config.defaultMaxTokens),
    };
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    return { 'x-api-key': apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION };
  }
}

/** What the chat vocabulary can say and Anthropic cannot honour: refused by name. */
function refuseWhatAnthropicLacks(params: ChatCompletionParams): Array<{ field: string; message: string }> {
  const violations = UNSUPPORTED_PARAMS.filter((name) => params[name] !== undefined).map((name) => ({
    field: `params.${name}`,
    message: 'is not supported by anthropic',
  }));
  if (params.responseFormat !== undefined && params.responseFormat.type !== 'text') {
    // Anthropic has no JSON mode; a tool with the schema is the way to ask Claude for JSON.
    violations.push({ field: 'params.responseFormat', message: `${params.responseFormat.type} is not supported by anthropic` });
  }
  if (params.temperature !== undefined && params.temperature > 1) {
    violations.push({ field: 'params.temperature', message: 'must not be greater than 1 for anthropic' });
  }
  return violations;
}
