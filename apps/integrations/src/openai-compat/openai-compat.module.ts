import { Module, type DynamicModule } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { OpenAiCompatController } from './openai-compat.controller.js';

/** /v1: OpenAI's wire format over the same execute path. */
@Module({})
export class OpenAiCompatModule {
  static register(execute: DynamicModule, platform: DynamicModule): DynamicModule {
    return { module: OpenAiCompatModule, imports: [ProvidersModule, execute, platform], controllers: [OpenAiCompatController] };
  }
}
