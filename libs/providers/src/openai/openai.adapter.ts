import { Inject, Injectable } from '@nestjs/common';
import { openAiConfig, type OpenAiProviderConfig } from './openai.config.js';
import { OpenAiCompatibleAdapter } from '../openai-compatible/openai-compatible.adapter.js';
import { responsesOperation } from './openai-responses.js';

/** OpenAI: chat completions (with tools), embeddings, and the Responses API. */
@Injectable()
export class OpenAiAdapter extends OpenAiCompatibleAdapter {
  constructor(@Inject(openAiConfig.token) openai: OpenAiProviderConfig) {
    super({
      name: openAiConfig.name,
      displayName: 'OpenAI',
      baseUrl: openai.baseUrl,
      defaultModel: openai.defaultModel,
      defaultEmbeddingModel: openai.defaultEmbeddingModel,
      timeoutMs: openai.timeoutMs,
      authHeader: 'bearer',
      queryParams: {},
      maxTokensField: 'max_completion_tokens',
    });
    this.table = {
      ...this.table,
      responses: responsesOperation(this.name, openai.defaultModel, (path, apiKey, body) => this.post(path, apiKey, body)),
    };
  }
}
