import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '@app/common';

class FieldViolationDto {
  @ApiProperty({ example: 'params.messages' })
  field: string;

  @ApiProperty({ example: 'must contain at least 1 elements' })
  message: string;
}

class ErrorDetailDto {
  @ApiProperty({ enum: Object.values(ErrorCode), example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ example: 'params.messages: must contain at least 1 elements' })
  message: string;

  @ApiProperty({ example: '7f1c6a0e-6a53-4c3e-9a55-2b7d3f0e1c11' })
  requestId: string;

  @ApiProperty({ description: 'Whether retrying the same request later may succeed', example: false })
  retryable: boolean;

  @ApiPropertyOptional({ example: 'openai' })
  provider?: string;

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
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorDetailDto })
  error: ErrorDetailDto;
}
