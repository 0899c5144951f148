import { Module, type DynamicModule } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { AnthropicCompatController } from './anthropic-compat.controller.js';

/** /v1/messages: Anthropic's wire format over the same execute path. */
@Module({})
export class AnthropicCompatModule {
  static register(execute: DynamicModule, platform: DynamicModule): DynamicModule {
    return { module: AnthropicCompatModule, imports: [ProvidersModule, execute, platform], controllers: [AnthropicCompatController] };
  }
}
