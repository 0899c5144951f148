import { operation, TableAdapter, type AnyOperation, type Operation } from '../operation-table.js';
import { imageDescription } from '../params/image-description.js';
import { CHAT_COMPLETION_PARAMS, type ChatCompletionParams } from '../params/chat-completion.params.js';
import { EMBEDDING_PARAMS, type EmbeddingParams } from '../params/embedding.params.js';
import type { UpstreamFailure } from '../provider-adapter.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { OpenAiStreamDecoder } from './openai-stream.decoder.js';
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

/**
 * Any server speaking OpenAI's chat-completions and embeddings API: OpenAI itself and every endpoint
 * declared in CUSTOM_PROVIDERS (Azure OpenAI, Ollama, vLLM, Groq…), which need no code of their own.
 */
export class OpenAiCompatibleAdapter extends TableAdapter {
  readonly name: string;
  readonly displayName: string;
  readonly timeoutMs: number;
  readonly baseUrl: string;
  readonly listsModels = true;
  override readonly requiresCredential: boolean;
  protected table: Readonly<Record<string, AnyOperation>>;
  private readonly query: string;

  constructor(private readonly settings: OpenAiCompatibleSettings) {
    super();
    this.name = settings.name;
    this.displayName = settings.displayName;
    this.timeoutMs = settings.timeoutMs;
    this.baseUrl = settings.baseUrl;
    this.requiresCredential = settings.authHeader !== 'none';
    const query = new URLSearchParams(settings.queryParams).toString();
    this.query = query ? `?${query}` : '';
    const chat: Operation<ChatCompletionParams> = {
      description: 'Chat completion from a list of messages',
      defaultModel: settings.defaultModel,
      schema: CHAT_COMPLETION_PARAMS,
      build: (params, model, apiKey) => this.post('/chat/completions', apiKey, toOpenAiChatBody(params, model, settings.maxTokensField)),
      normalize: (_params, model, reply) => fromOpenAiChatCompletion(this.name, model, reply.body),
      stream: (params, model, apiKey) => ({
        request: this.post('/chat/completions', apiKey, {
          ...toOpenAiChatBody(params, model, settings.maxTokensField),
          stream: true,
          stream_options: { include_usage: true },
        }),
        decoder: new OpenAiStreamDecoder(),
      }),
    };
    const chatOperations = {
      'chat.completions': operation(chat),
      'image.description': operation(imageDescription(chat)),
    };
    this.table = settings.defaultEmbeddingModel
      ? {
          ...chatOperations,
          embeddings: operation<EmbeddingParams>({
            description: 'Embedding vectors for one text or a batch',
            defaultModel: settings.defaultEmbeddingModel,
            schema: EMBEDDING_PARAMS,
            build: (params, model, apiKey) => this.post('/embeddings', apiKey, toOpenAiEmbeddingBody(params, model)),
            normalize: (_params, model, reply) => fromOpenAiEmbeddings(this.name, model, reply.body),
          }),
        }
      : chatOperations;
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapOpenAiStyleError(this.name, reply);
  }

  probeRequest(apiKey: string | undefined): UpstreamRequest {
    return { url: `${this.settings.baseUrl}/models${this.query}`, headers: this.authHeaders(apiKey) };
  }

  protected post(path: string, apiKey: string | undefined, body: Record<string, unknown>): UpstreamRequest {
    return { url: `${this.settings.baseUrl}${path}${this.query}`, headers: this.authHeaders(apiKey), body };
  }

  private authHeaders(apiKey: string | undefined): Record<string, string> {
    if (!apiKey || this.settings.authHeader === 'none') return {};
    return this.settings.authHeader === 'api-key' ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
  }
}
