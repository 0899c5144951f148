import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '@app/common';

class FieldViolationDto {
  @ApiProperty({ example: 'params.messages' })
  field: string;

  @ApiProperty({ example: 'must contain at least 1 elements' })
  message: string;
}

class UpstreamFactsDto {
  @ApiProperty({ example: 429, description: 'The status the provider answered with' })
  statusCode: number;

  @ApiPropertyOptional({ example: 'rate_limit_exceeded', description: "The provider's own error code, when it gave one" })
  code?: string;
}

const CATEGORIES = [
  'auth',
  'validation',
  'rate_limit',
  'timeout',
  'provider',
  'network',
  'not_found',
  'content_filter',
  'quota',
  'internal',
];

/** Every error outside /v1 (whose errors are shaped as OpenAI's and Anthropic's). */
export class ErrorResponseDto {
  @ApiProperty({ enum: [false], example: false })
  success: false;

  @ApiProperty({ example: 'params.messages: must contain at least 1 elements', description: 'Human-readable; never a secret' })
  error: string;

  @ApiProperty({ enum: Object.values(ErrorCode), example: 'VALIDATION_FAILED', description: 'Stable: match on this' })
  code: string;

  @ApiProperty({ enum: CATEGORIES, example: 'validation' })
  category: string;

  @ApiProperty({ description: 'Whether retrying the same request later may succeed', example: false })
  retryable: boolean;

  @ApiPropertyOptional({ example: 'openai' })
  provider?: string;

  @ApiPropertyOptional({ example: 'chat.completions' })
  operation?: string;

  @ApiPropertyOptional({ example: 'params.messages', description: 'First offending field (validation errors)' })
  field?: string;

  @ApiPropertyOptional({ type: [FieldViolationDto] })
  details?: FieldViolationDto[];

  @ApiPropertyOptional({ example: 20000, description: 'How long the upstream asked to wait (rate limits, model loading)' })
  retryAfterMs?: number;

  @ApiPropertyOptional({
    example: { modelLoading: true, estimatedWaitMs: 20000 },
    description: 'Extra facts, e.g. HuggingFace model loading',
  })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ type: UpstreamFactsDto })
  upstream?: UpstreamFactsDto;

  @ApiProperty({ example: '7f1c6a0e-6a53-4c3e-9a55-2b7d3f0e1c11' })
  requestId: string;

  @ApiProperty({ example: 3, description: 'Milliseconds the gateway spent on the request' })
  durationMs: number;
}
