import { ApiProperty } from '@nestjs/swagger';
import { NormalizedResponseDto } from './normalized-response.dto.js';

/** A successful execute call, in the envelope the platform's callers read. */
export class ExecuteResponseDto {
  @ApiProperty({ enum: [true], example: true })
  success: true;

  @ApiProperty({ type: NormalizedResponseDto })
  data: NormalizedResponseDto;

  @ApiProperty({ example: '7f1c6a0e-6a53-4c3e-9a55-2b7d3f0e1c11' })
  requestId: string;

  @ApiProperty({ example: 812, description: 'Milliseconds the gateway spent on the call, upstream included' })
  durationMs: number;
}
