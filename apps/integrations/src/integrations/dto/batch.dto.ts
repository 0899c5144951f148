import { ApiProperty } from '@nestjs/swagger';
import { ExecuteRequestDto } from './execute-request.dto.js';

export class BatchRequestDto {
  @ApiProperty({ type: [ExecuteRequestDto], description: 'From 1 to EXECUTE_BATCH_MAX_ITEMS (default 100) execute requests' })
  requests: ExecuteRequestDto[];
}

class BatchResultsDto {
  @ApiProperty({
    description: 'In request order: `{success: true, data, requestId, durationMs}` or `{success: false, error, code, category, …}`',
    type: 'array',
    items: { type: 'object' },
  })
  results: Array<Record<string, unknown>>;
}

export class BatchResponseDto {
  @ApiProperty({ enum: [true] }) success: true;
  @ApiProperty({ type: BatchResultsDto }) data: BatchResultsDto;
  @ApiProperty() requestId: string;
  @ApiProperty() durationMs: number;
}
