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
/** `owner/name`: no dot segments, since legacy and embedding calls put it in the URL path. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
/** On the router, chat models may pin a provider or a policy: `owner/name:groq`, `owner/name:fastest`. */
const ROUTED_MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?(:[a-z0-9][a-z0-9-]{0,63})?$/;

/**
 * HuggingFace. By default through Inference Providers (`HUGGINGFACE_API_STYLE=router`): chat, and
 * text generation as a one-turn chat, go to the router's OpenAI-compatible `/v1/chat/completions`
 * (streaming and tool calls as for any OpenAI-style upstream; `model:provider` suffixes pass
 * through), embeddings to its hf-inference feature-extraction pipeline. `legacy` keeps the per-model
 * paths of a self-hosted text-generation-inference or an Inference Endpoint.
 */
@Injectable()
export class HuggingFaceAdapter implements ProviderAdapter {
  readonly name = 'huggingface';
  readonly displayName = 'HuggingFace';
  readonly requiresCredential = true;
  readonly operations: readonly OperationDescriptor[];
  readonly timeoutMs: number;
  private readonly config: HuggingFaceProviderConfig;
  private readonly router: boolean;

  constructor(@Inject(APP_CONFIG) appConfig: AppConfig) {
    this.config = appConfig.providers.huggingface;
    this.router = this.config.apiStyle === 'router';
    this.timeoutMs = this.config.timeoutMs;
    this.operations = [
      { name: CHAT, description: 'Chat completion (OpenAI-compatible)', defaultModel: this.config.defaultModel },
      {
        name: TEXT_GENERATION,
        description: this.router ? 'Continuation of a prompt (sent as a one-turn chat)' : 'Continuation of a prompt',
        defaultModel: this.config.defaultModel,
      },
      {
        name: EMBEDDINGS,
        description: 'Feature-extraction vectors for one text or a batch',
        defaultModel: this.config.defaultEmbeddingModel,
      },
    ];
  }

  validate(operation: string, params: unknown): PreparedCall {
    const call = this.prepare(operation, params);
    const inBody = this.router && call.operation !== EMBEDDINGS;
    if (!(inBody ? ROUTED_MODEL_ID : MODEL_ID).test(call.model)) {
      const message = inBody
        ? 'must be a HuggingFace model id such as owner/name, optionally :provider'
        : 'must be a HuggingFace model id such as owner/name';
      throw GatewayError.validation([{ field: 'params.model', message }]);
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
    if (this.router) {
      if (call.operation === CHAT)
        return {
          url: `${this.config.baseUrl}/v1/chat/completions`,
          headers,
          body: toOpenAiChatBody(call.params as ChatCompletionParams, call.model),
        };
      if (call.operation === TEXT_GENERATION)
        return {
          url: `${this.config.baseUrl}/v1/chat/completions`,
          headers,
          body: toOpenAiChatBody(asOneTurnChat(call.params as TextGenerationParams), call.model),
        };
      return {
        url: `${this.config.baseUrl}/hf-inference/models/${model}/pipeline/feature-extraction`,
        headers,
        body: toFeatureExtractionBody(call.params as EmbeddingParams),
      };
    }
    if (call.operation === CHAT) {
      return {
        url: `${this.config.baseUrl}/models/${model}/v1/chat/completions`,
        headers,
        body: toOpenAiChatBody(call.params as ChatCompletionParams, call.model),
      };
    }
    if (call.operation === TEXT_GENERATION) {
      return { url: `${this.config.baseUrl}/models/${model}`, headers, body: toTextGenerationBody(call.params as TextGenerationParams) };
    }
    return {
      url: `${this.config.baseUrl}/pipeline/feature-extraction/${model}`,
      headers,
      body: toFeatureExtractionBody(call.params as EmbeddingParams),
    };
  }

  /** Only chat streams (both styles speak OpenAI's chunk format for it). */
  streamRequest(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } | undefined {
    if (call.operation !== CHAT) return undefined;
    const request = this.buildRequest(call, apiKey);
    return { request: { ...request, body: { ...(request.body as object), stream: true } }, decoder: new OpenAiStreamDecoder() };
  }

  /** Router: the model list (authenticated, and free). Legacy: the default model's status page. */
  probeRequest(apiKey: string | undefined): UpstreamRequest {
    const headers = { authorization: `Bearer ${apiKey ?? ''}` };
    return this.router
      ? { url: `${this.config.baseUrl}/v1/models`, headers }
      : { url: `${this.config.baseUrl}/models/${encodeModel(this.config.defaultModel)}`, headers };
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    if (call.operation === CHAT || (this.router && call.operation === TEXT_GENERATION))
      return fromOpenAiChatCompletion(this.name, call.model, reply.body);
    if (call.operation === TEXT_GENERATION)
      return fromTextGeneration(this.name, call.model, call.params as TextGenerationParams, reply.body);
    return fromFeatureExtraction(this.name, call.model, call.params as EmbeddingParams, reply.body);
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapHuggingFaceError(this.name, reply);
  }
}

/** A prompt as the router takes it: one user message, with the generation settings that chat shares. */
function asOneTurnChat({ prompt, maxTokens, temperature, topP, stop, seed }: TextGenerationParams): ChatCompletionParams {
  return { messages: [{ role: 'user', content: prompt }], maxTokens, temperature, topP, stop, seed };
}

/** Model ids are `owner/name`: keep the slash, escape everything else. */
function encodeModel(model: string): string {
  return model.split('/').map(encodeURIComponent).join('/');
}
