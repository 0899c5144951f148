import { Inject, Injectable } from '@nestjs/common';
import { GatewayError, validated, type FieldViolation } from '@app/common';
import { APP_CONFIG, type AnthropicProviderConfig, type AppConfig } from '@app/config';
import { operationNotSupported } from '../operation-not-supported.js';
import { ANTHROPIC_MESSAGES_PARAMS, type AnthropicMessagesParams } from '../params/anthropic-messages.params.js';
import { CHAT_COMPLETION_PARAMS } from '../params/chat-completion.params.js';
import type { AdapterResult, OperationDescriptor, PreparedCall, ProviderAdapter, UpstreamFailure } from '../provider-adapter.js';
import { AnthropicStreamDecoder } from '../streaming/anthropic-stream.decoder.js';
import type { StreamDecoder } from '../streaming/stream-types.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { mapAnthropicError } from './anthropic-errors.js';
import { fromAnthropicMessage, toAnthropicBody } from './anthropic-messages.js';

const MESSAGES = 'messages';
const CHAT = 'chat.completions';
const ANTHROPIC_VERSION = '2023-06-01';
/** Gateway params Anthropic has no equivalent for: refused rather than silently ignored. */
const UNSUPPORTED_PARAMS = ['presencePenalty', 'frequencyPenalty', 'seed', 'logitBias', 'reasoningEffort'] as const;

/** Anthropic's Messages API, for `messages` and (translated from OpenAI style) `chat.completions`. */
@Injectable()
export class AnthropicAdapter implements ProviderAdapter {
  readonly name = 'anthropic';
  readonly displayName = 'Anthropic';
  readonly requiresCredential = true;
  readonly operations: readonly OperationDescriptor[];
  readonly timeoutMs: number;
  private readonly config: AnthropicProviderConfig;

  constructor(@Inject(APP_CONFIG) appConfig: AppConfig) {
    this.config = appConfig.providers.anthropic;
    this.timeoutMs = this.config.timeoutMs;
    this.operations = [
      { name: MESSAGES, description: 'Anthropic Messages (accepts an optional top-level system)', defaultModel: this.config.defaultModel },
      { name: CHAT, description: 'OpenAI-style chat, translated to Anthropic Messages', defaultModel: this.config.defaultModel },
    ];
  }

  validate(operation: string, params: unknown): PreparedCall {
    if (operation !== MESSAGES && operation !== CHAT) throw operationNotSupported(this.name, operation, this.operations);
    const checked = validated(operation === MESSAGES ? ANTHROPIC_MESSAGES_PARAMS : CHAT_COMPLETION_PARAMS, params, 'params');
    const violations: FieldViolation[] = UNSUPPORTED_PARAMS.filter((name) => checked[name] !== undefined).map((name) => ({
      field: `params.${name}`,
      message: 'is not supported by anthropic',
    }));
    if (checked.responseFormat !== undefined && checked.responseFormat.type !== 'text') {
      // Anthropic has no JSON mode; a tool with the schema is the way to ask Claude for JSON.
      violations.push({ field: 'params.responseFormat', message: `${checked.responseFormat.type} is not supported by anthropic` });
    }
    if (checked.temperature !== undefined && checked.temperature > 1) {
      violations.push({ field: 'params.temperature', message: 'must not be greater than 1 for anthropic' });
    }
    if (violations.length > 0) throw GatewayError.validation(violations);
    return { operation, model: checked.model ?? this.config.defaultModel, params: checked };
  }

  streamRequest(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } {
    const request = this.buildRequest(call, apiKey);
    return { request: { ...request, body: { ...(request.body as object), stream: true } }, decoder: new AnthropicStreamDecoder() };
  }

  probeRequest(apiKey: string | undefined): UpstreamRequest {
    return { url: `${this.config.baseUrl}/v1/models`, headers: this.headers(apiKey) };
  }

  private headers(apiKey: string | undefined): Record<string, string> {
    return { 'x-api-key': apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION };
  }

  buildRequest(call: PreparedCall, apiKey: string | undefined): UpstreamRequest {
    return {
      url: `${this.config.baseUrl}/v1/messages`,
      headers: this.headers(apiKey),
      body: toAnthropicBody(call.params as AnthropicMessagesParams, call.model, this.config.defaultMaxTokens),
    };
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    return fromAnthropicMessage(this.name, call.model, reply.body);
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapAnthropicError(this.name, reply);
  }
}
