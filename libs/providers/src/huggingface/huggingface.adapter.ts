import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { huggingFaceConfig, type HuggingFaceProviderConfig } from './huggingface.config.js';
import { fromOpenAiChatCompletion, toOpenAiChatBody } from '../openai-compatible/openai-chat.js';
import { operation, TableAdapter, type AnyOperation, type Operation } from '../operation-table.js';
import { imageDescription } from '../params/image-description.js';
import { CHAT_COMPLETION_PARAMS, type ChatCompletionParams } from '../params/chat-completion.params.js';
import { EMBEDDING_PARAMS, type EmbeddingParams } from '../params/embedding.params.js';
import { TEXT_GENERATION_PARAMS, type TextGenerationParams } from './text-generation.params.js';
import type { PreparedCall, UpstreamFailure } from '../provider-adapter.js';
import { OpenAiStreamDecoder } from '../openai-compatible/openai-stream.decoder.js';
import type { UpstreamReply, UpstreamRequest } from '../upstream/upstream-types.js';
import { mapHuggingFaceError } from './huggingface-errors.js';
import { fromFeatureExtraction, fromTextGeneration, toFeatureExtractionBody, toTextGenerationBody } from './huggingface-inference.js';

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
export class HuggingFaceAdapter extends TableAdapter {
  readonly name = huggingFaceConfig.name;
  readonly displayName = 'HuggingFace';
  readonly timeoutMs: number;
  readonly baseUrl: string;
  /** The router's /v1/models lists the models a key can call; a legacy server's probe is one model's info. */
  readonly listsModels: boolean;
  protected readonly table: Readonly<Record<string, AnyOperation>>;
  private readonly config: HuggingFaceProviderConfig;
  private readonly router: boolean;

  constructor(@Inject(huggingFaceConfig.token) config: HuggingFaceProviderConfig) {
    super();
    this.config = config;
    this.router = this.config.apiStyle === 'router';
    this.listsModels = this.router;
    this.timeoutMs = this.config.timeoutMs;
    this.baseUrl = this.config.baseUrl;
    const { baseUrl, defaultModel, defaultEmbeddingModel } = this.config;
    const chatUrl = (model: string) =>
      this.router ? `${baseUrl}/v1/chat/completions` : `${baseUrl}/models/${encodeModel(model)}/v1/chat/completions`;
    const chatRequest = (params: ChatCompletionParams, model: string, apiKey: string | undefined): UpstreamRequest => ({
      url: chatUrl(model),
      headers: authorization(apiKey),
      body: toOpenAiChatBody(params, model),
    });
    const chat: Operation<ChatCompletionParams> = {
      description: 'Chat completion (OpenAI-compatible)',
      defaultModel,
      schema: CHAT_COMPLETION_PARAMS,
      build: chatRequest,
      normalize: (_params, model, reply) => fromOpenAiChatCompletion(this.name, model, reply.body),
      stream: (params, model, apiKey) => {
        const request = chatRequest(params, model, apiKey);
        return { request: { ...request, body: { ...(request.body as object), stream: true } }, decoder: new OpenAiStreamDecoder() };
      },
    };
    this.table = {
      'chat.completions': operation(chat),
      // Vision-language models answer through the router's chat route; legacy text-generation servers have none.
      ...(this.router && { 'image.description': operation(imageDescription(chat, this.config.defaultVisionModel)) }),
      'text.generation': this.router
        ? operation<TextGenerationParams>({
            description: 'Continuation of a prompt (sent as a one-turn chat)',
            defaultModel,
            schema: TEXT_GENERATION_PARAMS,
            build: (params, model, apiKey) => chatRequest(asOneTurnChat(params), model, apiKey),
            normalize: (_params, model, reply) => fromOpenAiChatCompletion(this.name, model, reply.body),
          })
        : operation<TextGenerationParams>({
            description: 'Continuation of a prompt',
            defaultModel,
            schema: TEXT_GENERATION_PARAMS,
            build: (params, model, apiKey) => ({
              url: `${baseUrl}/models/${encodeModel(model)}`,
              headers: authorization(apiKey),
              body: toTextGenerationBody(params),
            }),
            normalize: (params, model, reply) => fromTextGeneration(this.name, model, params, reply.body),
          }),
      embeddings: operation<EmbeddingParams>({
        description: 'Feature-extraction vectors for one text or a batch',
        defaultModel: defaultEmbeddingModel,
        schema: EMBEDDING_PARAMS,
        build: (params, model, apiKey) => ({
          url: this.router
            ? `${baseUrl}/hf-inference/models/${encodeModel(model)}/pipeline/feature-extraction`
            : `${baseUrl}/pipeline/feature-extraction/${encodeModel(model)}`,
          headers: authorization(apiKey),
          body: toFeatureExtractionBody(params),
        }),
        normalize: (params, model, reply) => fromFeatureExtraction(this.name, model, params, reply.body),
      }),
    };
  }

  /** The model id goes into a URL path (legacy, embeddings) or the router's body: checked either way. */
  override validate(operationName: string, params: unknown): PreparedCall {
    const call = super.validate(operationName, params);
    const inBody = this.router && call.operation !== 'embeddings';
    if (!(inBody ? ROUTED_MODEL_ID : MODEL_ID).test(call.model)) {
      const message = inBody
        ? 'must be a HuggingFace model id such as owner/name, optionally :provider'
        : 'must be a HuggingFace model id such as owner/name';
      throw GatewayError.validation([{ field: 'params.model', message }]);
    }
    return call;
  }

  /** Router: the model list (authenticated, and free). Legacy: the default model's status page. */
  probeRequest(apiKey: string | undefined): UpstreamRequest {
    const { baseUrl, defaultModel } = this.config;
    return { url: this.router ? `${baseUrl}/v1/models` : `${baseUrl}/models/${encodeModel(defaultModel)}`, headers: authorization(apiKey) };
  }

  mapError(reply: UpstreamReply): UpstreamFailure {
    return mapHuggingFaceError(this.name, reply);
  }
}

function authorization(apiKey: string | undefined): Record<string, string> {
  return { authorization: `Bearer ${apiKey ?? ''}` };
}

/** A prompt as the router takes it: one user message, with the generation settings that chat shares. */
function asOneTurnChat({ prompt, maxTokens, temperature, topP, stop, seed }: TextGenerationParams): ChatCompletionParams {
  return { messages: [{ role: 'user', content: prompt }], maxTokens, temperature, topP, stop, seed };
}

/** Model ids are `owner/name`: keep the slash, escape everything else. */
function encodeModel(model: string): string {
  return model.split('/').map(encodeURIComponent).join('/');
}
