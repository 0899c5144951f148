import { Inject, Injectable } from '@nestjs/common';
import { GatewayError, validated } from '@app/common';
import { APP_CONFIG, type AppConfig, type HuggingFaceProviderConfig } from '@app/config';
import { fromOpenAiChatCompletion, toOpenAiChatBody } from '../openai-compatible/openai-chat.js';
import { operationNotSupported } from '../operation-not-supported.js';
import { CHAT_COMPLETION_PARAMS, type ChatCompletionParams } from '../params/chat-completion.params.js';
import { EMBEDDING_PARAMS, type EmbeddingParams } from '../params/embedding.params.js';
import { TEXT_GENERATION_PARAMS, type TextGenerationParams } from '../params/text-generation.params.js';
import type { AdapterResult, OperationDescriptor, PreparedCall, ProviderAdapter, UpstreamFailure } from '../provider-adapter.js';
import { OpenAiStreamDecoder } from '../streaming/openai-stream.decoder.js';
import type { StreamDecoder } from '../streaming/stream-types.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { mapHuggingFaceError } from './huggingface-errors.js';
import { fromFeatureExtraction, fromTextGeneration, toFeatureExtractionBody, toTextGenerationBody } from './huggingface-inference.js';

const CHAT = 'chat.completions';
const TEXT_GENERATION = 'text.generation';
const EMBEDDINGS = 'embeddings';
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/**
 * HuggingFace Inference: chat through the model's OpenAI-compatible Messages API, text-generation
 * and feature-extraction (embeddings) through the classic task endpoints.
 */
@Injectable()
export class HuggingFaceAdapter implements ProviderAdapter {
  readonly name = 'huggingface';
  readonly displayName = 'HuggingFace';
  readonly requiresCredential = true;
  readonly operations: readonly OperationDescriptor[];
  readonly timeoutMs: number;
  private readonly config: HuggingFaceProviderConfig;

  constructor(@Inject(APP_CONFIG) appConfig: AppConfig) {
    this.config = appConfig.providers.huggingface;
    this.timeoutMs = this.config.timeoutMs;
    this.operations = [
      { name: CHAT, description: 'Chat completion (Messages API)', defaultModel: this.config.defaultModel },
      { name: TEXT_GENERATION, description: 'Continuation of a prompt', defaultModel: this.config.defaultModel },
      { name: EMBEDDINGS, description: 'Feature-extraction vectors for one text or a batch', defaultModel: this.config.defaultEmbeddingModel },
    ];
  }

  validate(operation: string, params: unknown): PreparedCall {
    const call = this.prepare(operation, params);
    // The model id becomes part of the URL path: only `owner/name` ids, no dot segments.
    if (!MODEL_ID.test(call.model)) {
      throw GatewayError.validation([{ field: 'params.model', message: 'must be a HuggingFace model id such as owner/name' }]);
    }
    return call;
  }

  private prepare(operation: string, params: unknown): PreparedCall {
    if (operation === CHAT) {
      const chat = validated(CHAT_COMPLETION_PARAMS, params, 'params');
      return { operation, model: chat.model ?? this.config.defaultModel, params: chat };
    }
    if (operation === TEXT_GENERATION) {
      const generation = validated(TEXT_GENERATION_PARAMS, params, 'params');
      return { operation, model: generation.model ?? this.config.defaultModel, params: generation };
    }
    if (operation === EMBEDDINGS) {
      const embedding = validated(EMBEDDING_PARAMS, params, 'params');
      return { operation, model: embedding.model ?? this.config.defaultEmbeddingModel, params: embedding };
    }
    throw operationNotSupported(this.name, operation, this.operations);
  }

  buildRequest(call: PreparedCall, apiKey: string | undefined): UpstreamRequest {
    const headers = { authorization: `Bearer ${apiKey ?? ''}` };
    const model = encodeModel(call.model);
    if (call.operation === CHAT) {
      return { url: `${this.config.baseUrl}/models/${model}/v1/chat/completions`, headers, body: toOpenAiChatBody(call.params as ChatCompletionParams, call.model) };
    }
    if (call.operation === TEXT_GENERATION) {
      return { url: `${this.config.baseUrl}/models/${model}`, headers, body: toTextGenerationBody(call.params as TextGenerationParams) };
    }
    return { url: `${this.config.baseUrl}/pipeline/feature-extraction/${model}`, headers, body: toFeatureExtractionBody(call.params as EmbeddingParams) };
  }

  /** Only chat streams (the Messages API speaks OpenAI's chunk format). */
  streamRequest(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } | undefined {
    if (call.operation !== CHAT) return undefined;
    const request = this.buildRequest(call, apiKey);
    return { request: { ...request, body: { ...(request.body as object), stream: true } }, decoder: new OpenAiStreamDecoder() };
  }

  /** The default model's status page: authenticated, and free. */
  probeRequest(apiKey: string | undefined): UpstreamRequest {
    return { url: `${this.config.baseUrl}/models/${encodeModel(this.config.defaultModel)}`, headers: { authorization: `Bearer ${apiKey ?? ''}` } };
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    if (call.operation === CHAT) return fromOpenAiChatCompletion(this.name, call.model, reply.body);
    if (call.operation === TEXT_GENERATION) return fromTextGeneration(this.name, call.model, call.params as TextGenerationParams, reply.body);
    return fromFeatureExtraction(this.name, call.model, call.params as EmbeddingParams, reply.body);
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapHuggingFaceError(this.name, reply);
  }
}

/** Model ids are `owner/name`: keep the slash, escape everything else. */
function encodeModel(model: string): string {
  return model.split('/').map(encodeURIComponent).join('/');
}
