import { ApiProperty } from '@nestjs/swagger';
import type { ExecuteRequest } from '../../execute/execute-request.js';

/** The execute body as documented in Swagger; it is checked by ParseExecuteRequestPipe. */
export class ExecuteRequestDto implements ExecuteRequest {
  @ApiProperty({
    description: 'Provider name, as listed by GET /api/integrations/providers',
    example: 'openai',
    minLength: 1,
    maxLength: 64,
  })
  provider: string;

  @ApiProperty({
    description: 'Operation of that provider',
    example: 'chat.completions',
    minLength: 1,
    maxLength: 64,
    pattern: '^[a-z][a-z0-9._-]*$',
  })
  operation: string;

  @ApiProperty({
    description:
      'Operation parameters in camelCase. chat.completions: messages (required), model, maxTokens, temperature, topP, stop, ' +
      'presencePenalty, frequencyPenalty, seed, user, tools, toolChoice, parallelToolCalls, responseFormat, logitBias, reasoningEffort, stream. embeddings: input (string or string[]), model, dimensions, user.',
    type: 'object',
    additionalProperties: true,
    example: { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 64, temperature: 0.2 },
  })
  params: Record<string, unknown>;
}
