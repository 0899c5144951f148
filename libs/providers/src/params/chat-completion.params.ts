import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsMessageContent, IsStringOrStringArray } from './custom-validators.js';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** A function the model may call, in the gateway's (OpenAI-shaped) vocabulary. */
export class ToolFunctionParam {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'name must be 1-64 letters, digits, _ or -' })
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;

  /** JSON Schema of the arguments. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class ToolParam {
  @IsIn(['function'])
  type: 'function';

  @ValidateNested()
  @Type(() => ToolFunctionParam)
  function: ToolFunctionParam;
}

/** A tool call the assistant made earlier in the conversation (for multi-turn tool use). */
export class ToolCallParam {
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  id: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'name must be 1-64 letters, digits, _ or -' })
  name: string;

  /** The arguments as JSON text. */
  @IsString()
  arguments: string;
}

export class ChatMessageParam {
  @IsIn(CHAT_ROLES)
  role: ChatRole;

  // Not @IsDefined: that refuses null too, and null is how assistant tool-call turns say "no text".
  @IsMessageContent()
  content: string | object[] | null;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  /** assistant turns: the tool calls the model made. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ToolCallParam)
  toolCalls?: ToolCallParam[];

  /** tool turns: which call this message answers. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  toolCallId?: string;
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

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(128)
  @ValidateNested({ each: true })
  @Type(() => ToolParam)
  tools?: ToolParam[];

  /** 'auto', 'none', 'required', or the name of one tool the model must call. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  toolChoice?: string;

  /** Answer with server-sent events: `{delta, index}` chunks, then `{usage, finishReason, …}`. */
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}
