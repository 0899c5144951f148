import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OpenAiCompatibleAdapter } from '../openai-compatible/openai-compatible.adapter.js';

/** OpenAI: chat completions (with tools) and embeddings. */
@Injectable()
export class OpenAiAdapter extends OpenAiCompatibleAdapter {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const openai = config.providers.openai;
    super({
      name: 'openai',
      displayName: 'OpenAI',
      baseUrl: openai.baseUrl,
      defaultModel: openai.defaultModel,
      defaultEmbeddingModel: openai.defaultEmbeddingModel,
      timeoutMs: openai.timeoutMs,
      authHeader: 'bearer',
      queryParams: {},
      maxTokensField: 'max_completion_tokens',
    });
  }
}
