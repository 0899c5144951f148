import { ApiProperty } from '@nestjs/swagger';

class OperationDto {
  @ApiProperty({ example: 'chat.completions' })
  name: string;

  @ApiProperty({ example: 'Chat completion from a list of messages' })
  description: string;

  @ApiProperty({ example: 'gpt-4o-mini' })
  defaultModel: string;
}

export class ProviderDto {
  @ApiProperty({ example: 'openai' })
  name: string;

  @ApiProperty({ example: 'OpenAI' })
  displayName: string;

  @ApiProperty({ example: 'https://api.openai.com/v1', description: 'Where its calls go' })
  baseUrl: string;

  @ApiProperty({ example: 'gpt-4o-mini', description: 'Default model of the first (chat) operation' })
  defaultModel: string;

  @ApiProperty({ example: ['chat.completions', 'image.description', 'embeddings', 'responses'], type: [String] })
  supportedOperations: string[];

  @ApiProperty({ type: [OperationDto] })
  operations: OperationDto[];

  @ApiProperty({ example: 60000, description: 'Upstream deadline per call' })
  timeoutMs: number;

  @ApiProperty({ example: true, description: 'False for keyless endpoints such as a local Ollama' })
  requiresCredential: boolean;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    example: true,
    description: 'Whether the caller has a key for it; null when anonymous or unknown',
  })
  credentialAvailable: boolean | null;
}

export class ProvidersResponseDto {
  @ApiProperty({ type: [ProviderDto] })
  providers: ProviderDto[];
}
