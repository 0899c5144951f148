import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { APP_CONFIG, type AppConfig, type OpenAiProviderConfig } from '@app/config';
import { ChatCompletionParams } from '../params/chat-completion.params.js';
import { EmbeddingParams } from '../params/embedding.params.js';
import { validateParams } from '../params/validate-params.js';
import type { AdapterResult, OperationDescriptor, PreparedCall, ProviderAdapter, UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { fromOpenAiChatCompletion, toOpenAiChatBody } from './openai-chat.js';
import { fromOpenAiEmbeddings, toOpenAiEmbeddingBody } from './openai-embeddings.js';
import { mapOpenAiStyleError } from './openai-errors.js';

const CHAT = 'chat.completions';
const EMBEDDINGS = 'embeddings';

@Injectable()
export class OpenAiAdapter implements ProviderAdapter {
  readonly name = 'openai';
  readonly displayName = 'OpenAI';
  readonly operations: readonly OperationDescriptor[];
  readonly timeoutMs: number;
  private readonly config: OpenAiProviderConfig;

  constructor(@Inject(APP_CONFIG) appConfig: AppConfig) {
    this.config = appConfig.providers.openai;
    this.timeoutMs = this.config.timeoutMs;
    this.operations = [
      { name: CHAT, description: 'Chat completion from a list of messages', defaultModel: this.config.defaultModel },
      { name: EMBEDDINGS, description: 'Embedding vectors for one text or a batch', defaultModel: this.config.defaultEmbeddingModel },
    ];
  }

  validate(operation: string, params: unknown): PreparedCall {
    if (operation === CHAT) {
      const chat = validateParams(ChatCompletionParams, params);
      return { operation, model: chat.model ?? this.config.defaultModel, params: chat };
    }
    if (operation === EMBEDDINGS) {
      const embedding = validateParams(EmbeddingParams, params);
      return { operation, model: embedding.model ?? this.config.defaultEmbeddingModel, params: embedding };
    }
    throw new GatewayError('OPERATION_NOT_SUPPORTED', `Provider '${this.name}' does not support operation '${operation.slice(0, 64)}'`, {
      provider: this.name,
      violations: [{ field: 'operation', message: `must be one of: ${this.operations.map((op) => op.name).join(', ')}` }],
    });
  }

  buildRequest(call: PreparedCall, apiKey: string): UpstreamRequest {
    const headers = { authorization: `Bearer ${apiKey}` };
    if (call.operation === EMBEDDINGS) {
      return { url: `${this.config.baseUrl}/embeddings`, headers, body: toOpenAiEmbeddingBody(call.params as EmbeddingParams, call.model) };
    }
    return { url: `${this.config.baseUrl}/chat/completions`, headers, body: toOpenAiChatBody(call.params as ChatCompletionParams, call.model) };
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    return call.operation === EMBEDDINGS
      ? fromOpenAiEmbeddings(this.name, call.model, reply.body)
      : fromOpenAiChatCompletion(this.name, call.model, reply.body);
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapOpenAiStyleError(this.name, reply);
  }
}
