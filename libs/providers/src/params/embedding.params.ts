import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsStringOrStringArray } from './custom-validators.js';

/** `params` of an embeddings call: one text or a batch of texts. */
export class EmbeddingParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  model?: string;

  @IsStringOrStringArray({ maxItems: 2048 })
  input: string | string[];

  /** Output vector size, for models that can shorten their embeddings. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65_536)
  dimensions?: number;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;
}
