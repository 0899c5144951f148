import { validated } from '@app/common';
import { CHAT_COMPLETION_PARAMS, type ChatCompletionParams } from '../params/chat-completion.params.js';
import { EMBEDDING_PARAMS, type EmbeddingParams } from '../params/embedding.params.js';
import { operationNotSupported } from '../operation-not-supported.js';
import type { AdapterResult, OperationDescriptor, PreparedCall, ProviderAdapter, UpstreamFailure } from '../provider-adapter.js';
import { OpenAiStreamDecoder } from '../streaming/openai-stream.decoder.js';
import type { StreamDecoder } from '../streaming/stream-types.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { fromOpenAiChatCompletion, toOpenAiChatBody, type MaxTokensField } from './openai-chat.js';
import { fromOpenAiEmbeddings, toOpenAiEmbeddingBody } from './openai-embeddings.js';
import { mapOpenAiStyleError } from './openai-errors.js';

export interface OpenAiCompatibleSettings {
  name: string;
  displayName: string;
  baseUrl: string;
  defaultModel: string;
  /** Without one, the endpoint offers chat only. */
  defaultEmbeddingModel?: string;
  timeoutMs: number;
  /** `bearer`: Authorization: Bearer; `api-key`: Azure's api-key header; `none`: keyless (Ollama). */
  authHeader: 'bearer' | 'api-key' | 'none';
  queryParams: Record<string, string>;
  /** The upstream field `maxTokens` is sent as. */
  maxTokensField: MaxTokensField;
}

const CHAT = 'chat.completions';
const EMBEDDINGS = 'embeddings';

/**
 * Any server speaking OpenAI's chat-completions and embeddings API: OpenAI itself and every endpoint
 * declared in CUSTOM_PROVIDERS (Azure OpenAI, Ollama, vLLM, Groq…), which need no code of their own.
 */
export class OpenAiCompatibleAdapter implements ProviderAdapter {
  readonly name: string;
  readonly displayName: string;
  readonly operations: readonly OperationDescriptor[];
  readonly timeoutMs: number;
  readonly requiresCredential: boolean;
  private readonly query: string;

  constructor(private readonly settings: OpenAiCompatibleSettings) {
    this.name = settings.name;
    this.displayName = settings.displayName;
    this.timeoutMs = settings.timeoutMs;
    this.requiresCredential = settings.authHeader !== 'none';
    const operations: OperationDescriptor[] = [
      { name: CHAT, description: 'Chat completion from a list of messages', defaultModel: settings.defaultModel },
    ];
    if (settings.defaultEmbeddingModel) {
      operations.push({
        name: EMBEDDINGS,
        description: 'Embedding vectors for one text or a batch',
        defaultModel: settings.defaultEmbeddingModel,
      });
    }
    this.operations = operations;
    const query = new URLSearchParams(settings.queryParams).toString();
    this.query = query ? `?${query}` : '';
  }

  validate(operation: string, params: unknown): PreparedCall {
    if (operation === CHAT) {
      const chat = validated(CHAT_COMPLETION_PARAMS, params, 'params');
      return { operation, model: chat.model ?? this.settings.defaultModel, params: chat };
    }
    if (operation === EMBEDDINGS && this.settings.defaultEmbeddingModel) {
      const embedding = validated(EMBEDDING_PARAMS, params, 'params');
      return { operation, model: embedding.model ?? this.settings.defaultEmbeddingModel, params: embedding };
    }
    throw operationNotSupported(this.name, operation, this.operations);
  }

  buildRequest(call: PreparedCall, apiKey: string | undefined): UpstreamRequest {
    const headers = this.authHeaders(apiKey);
    if (call.operation === EMBEDDINGS) {
      return {
        url: `${this.settings.baseUrl}/embeddings${this.query}`,
        headers,
        body: toOpenAiEmbeddingBody(call.params as EmbeddingParams, call.model),
      };
    }
    return {
      url: `${this.settings.baseUrl}/chat/completions${this.query}`,
      headers,
      body: toOpenAiChatBody(call.params as ChatCompletionParams, call.model, this.settings.maxTokensField),
    };
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    return call.operation === EMBEDDINGS
      ? fromOpenAiEmbeddings(this.name, call.model, reply.body)
      : fromOpenAiChatCompletion(this.name, call.model, reply.body);
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapOpenAiStyleError(this.name, reply);
  }

  streamRequest(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } | undefined {
    if (call.operation !== CHAT) return undefined;
    const body = {
      ...toOpenAiChatBody(call.params as ChatCompletionParams, call.model, this.settings.maxTokensField),
      stream: true,
      stream_options: { include_usage: true },
    };
    return {
      request: { url: `${this.settings.baseUrl}/chat/completions${this.query}`, headers: this.authHeaders(apiKey), body },
      decoder: new OpenAiStreamDecoder(),
    };
  }

  probeRequest(apiKey: string | undefined): UpstreamRequest {
    return { url: `${this.settings.baseUrl}/models${this.query}`, headers: this.authHeaders(apiKey) };
  }

  private authHeaders(apiKey: string | undefined): Record<string, string> {
    if (!apiKey || this.settings.authHeader === 'none') return {};
    return this.settings.authHeader === 'api-key' ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
  }
}
