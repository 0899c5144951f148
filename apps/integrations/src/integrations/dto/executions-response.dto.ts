import { ApiProperty } from '@nestjs/swagger';

class ExecutionLogDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '7f1c6a0e-6a53-4c3e-9a55-2b7d3f0e1c11' }) requestId: string;
  @ApiProperty({ example: 'user-42' }) userId: string;
  @ApiProperty({ type: String, nullable: true, example: 'org-7' }) orgId: string | null;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'chat.completions' }) operation: string;
  @ApiProperty({ type: String, nullable: true, example: 'gpt-4o-mini-2024-07-18' }) model: string | null;
  @ApiProperty({ example: 412 }) durationMs: number;
  @ApiProperty({ type: Number, nullable: true, example: 12 }) promptTokens: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 5 }) completionTokens: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 17 }) totalTokens: number | null;
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: String, nullable: true, example: null }) errorCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) errorMessage: string | null;
  @ApiProperty({ example: false, description: 'Answered from the response cache' }) cached: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 398,
    description: 'Time waiting on the provider (whole answers only); the rest of durationMs is the gateway',
  })
  upstreamMs: number | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: Date;
}

export class ExecutionsResponseDto {
  @ApiProperty({ type: [ExecutionLogDto] }) items: ExecutionLogDto[];
  @ApiProperty({ example: 1, description: 'Rows matching the filters' }) total: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 0 }) offset: number;
}
