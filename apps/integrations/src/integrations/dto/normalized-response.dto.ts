import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FinishReason, NormalizedResponse, NormalizedUsage, ResponseMetadata, ToolCall } from '@app/normalization';

export class UsageDto implements NormalizedUsage {
  @ApiProperty({ example: 12 })
  promptTokens: number;

  @ApiProperty({ example: 5 })
  completionTokens: number;

  @ApiProperty({ example: 17 })
  totalTokens: number;
}

export class ResponseMetadataDto implements ResponseMetadata {
  [key: string]: unknown;

  @ApiProperty({ example: '7f1c6a0e-6a53-4c3e-9a55-2b7d3f0e1c11' })
  requestId: string;

  @ApiProperty({ example: 412.5, description: 'Milliseconds spent waiting on the upstream' })
  upstreamLatencyMs: number;

  @ApiPropertyOptional({ example: 'chatcmpl-abc123', description: "The upstream's id for this generation" })
  upstreamId?: string;

  @ApiPropertyOptional({ example: 'req_4f1e…', description: "The upstream's request id header, for support tickets" })
  upstreamRequestId?: string;

  @ApiPropertyOptional({ example: 1, description: 'Upstream attempts it took (retries of retryable failures)' })
  attempts?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 0.0000089,
    description: 'Estimated USD cost from the pricing table; null for unpriced models',
  })
  estimatedCostUsd?: number | null;

  @ApiPropertyOptional({ example: 'openai', description: 'Set when a fallback rule moved the call: the provider that failed' })
  fallbackFrom?: string;
}

export class ToolCallDto implements ToolCall {
  @ApiProperty({ example: 'call_abc123' })
  id: string;

  @ApiProperty({ example: 'get_weather' })
  name: string;

  @ApiProperty({ example: '{"city":"Paris"}', description: 'Arguments as JSON text' })
  arguments: string;
}

/** The normalized response: identical in shape whichever provider answered. */
export class NormalizedResponseDto implements NormalizedResponse {
  @ApiProperty({ example: 'openai' })
  provider: string;

  @ApiProperty({ example: 'gpt-4o-mini-2024-07-18', description: 'The model that answered, as the upstream reported it' })
  model: string;

  @ApiProperty({ type: String, nullable: true, example: 'Hello!', description: 'Generated text; null for embeddings' })
  content: string | null;

  @ApiProperty({ type: UsageDto })
  usage: UsageDto;

  @ApiProperty({ enum: ['stop', 'length', 'tool_calls', 'content_filter', 'unknown'], example: 'stop' })
  finishReason: FinishReason;

  @ApiPropertyOptional({ type: [ToolCallDto], description: "Function calls the model asked for (finishReason 'tool_calls')" })
  toolCalls?: ToolCallDto[];

  @ApiPropertyOptional({
    description: 'embeddings only: one vector per input, in input order',
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    example: [[0.0123, -0.0456, 0.0789]],
  })
  embeddings?: number[][];

  @ApiProperty({ type: ResponseMetadataDto })
  metadata: ResponseMetadataDto;
}
