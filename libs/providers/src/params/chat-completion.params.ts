import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  Equals,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsMessageContent, IsStringOrStringArray } from './custom-validators.js';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export class ChatMessageParam {
  @IsIn(CHAT_ROLES)
  role: ChatRole;

  @IsDefined({ message: 'is required (use null only for assistant turns without text)' })
  @IsMessageContent()
  content: string | object[] | null;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;
}

/** `params` of a chat completion, in the gateway's camelCase vocabulary shared by every provider. */
export class ChatCompletionParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  model?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ChatMessageParam)
  messages: ChatMessageParam[];

  @IsOptional()
  @IsInt()
  @Min(1)
  maxTokens?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  topP?: number;

  @IsOptional()
  @IsStringOrStringArray({ maxItems: 4 })
  stop?: string | string[];

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-2)
  @Max(2)
  presencePenalty?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-2)
  @Max(2)
  frequencyPenalty?: number;

  @IsOptional()
  @IsInt()
  seed?: number;

  /** An end-user id forwarded to the provider for abuse tracking. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  /** Streaming is served by a later release; say so instead of answering a non-stream reply. */
  @IsOptional()
  @Equals(false, { message: 'streaming is not supported yet; omit stream or set it to false' })
  stream?: boolean;
}
