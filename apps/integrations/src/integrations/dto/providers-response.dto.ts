import { ApiProperty } from '@nestjs/swagger';

class OperationDto {
  @ApiProperty({ example: 'chat.completions' })
  name: string;

  @ApiProperty({ example: 'Chat completion from a list of messages' })
  description: string;

  @ApiProperty({ example: 'gpt-4o-mini' })
  defaultModel: string;
}

class ProviderDto {
  @ApiProperty({ example: 'openai' })
  name: string;

  @ApiProperty({ example: 'OpenAI' })
  displayName: string;

  @ApiProperty({ example: 'gpt-4o-mini', description: 'Default model of the first (chat) operation' })
  defaultModel: string;

  @ApiProperty({ type: [OperationDto] })
  operations: OperationDto[];

  @ApiProperty({ example: 60000, description: 'Upstream deadline per call' })
  timeoutMs: number;
}

export class ProvidersResponseDto {
  @ApiProperty({ type: [ProviderDto] })
  providers: ProviderDto[];
}
