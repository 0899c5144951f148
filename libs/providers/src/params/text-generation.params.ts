import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsStringOrStringArray } from './custom-validators.js';

/** Plain text continuation of a prompt (HuggingFace text-generation). */
export class TextGenerationParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  model?: string;

  @IsString()
  @MinLength(1)
  prompt: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxTokens?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
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
  @IsInt()
  seed?: number;
}
