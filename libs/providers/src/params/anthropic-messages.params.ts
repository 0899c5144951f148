import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ChatCompletionParams } from './chat-completion.params.js';

/** Anthropic `messages`: the chat vocabulary plus Anthropic's top-level `system` and `topK`. */
export class AnthropicMessagesParams extends ChatCompletionParams {
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  system?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  topK?: number;
}
