import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class ExecuteRequestDto {
  @ApiProperty({ description: 'Provider name, as listed by GET /api/integrations/providers', example: 'openai' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  provider: string;

  @ApiProperty({ description: 'Operation of that provider', example: 'chat.completions' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[a-z][a-z0-9._-]*$/, { message: 'operation must be a lowercase operation name such as chat.completions' })
  operation: string;

  @ApiProperty({
    description:
      'Operation parameters in camelCase. chat.completions: messages (required), model, maxTokens, temperature, topP, stop, ' +
      'presencePenalty, frequencyPenalty, seed, user. embeddings: input (string or string[]), model, dimensions, user.',
    type: 'object',
    additionalProperties: true,
    example: { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 64, temperature: 0.2 },
  })
  // Handed over as received: the adapter validates params against its own schema, so a deep copy
  // by class-transformer here would be work done twice on the hot path.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.params, { toClassOnly: true })
  @IsObject()
  params: Record<string, unknown>;
}
