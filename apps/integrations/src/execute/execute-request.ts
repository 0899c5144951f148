import { type PipeTransform } from '@nestjs/common';
import { anyObject, integer, object, optional, string, validated } from '@app/common';
import { fromPlatformParams } from './platform-params.js';

/** The body of POST /api/integrations/execute. */
export interface ExecuteRequest {
  provider: string;
  operation: string;
  /** Checked by the chosen adapter against the operation's own schema. */
  params: Record<string, unknown>;
  /** With `provider: "auto"`: what the chosen model must meet (see routing/route-requirements.ts). */
  requirements?: Record<string, unknown>;
  /** Cache this call's whole answer (see cache/response-cache.ts); `ttlSeconds` absent: the default. */
  cache?: { ttlSeconds?: number };
}

interface ExecuteRequestBody extends ExecuteRequest {
  /** Sent by some platform callers; keys are always looked up through the credential chain, so it is ignored. */
  credentialId?: string;
}

const EXECUTE_REQUEST = object<ExecuteRequestBody>({
  provider: string({ min: 1, max: 64 }),
  operation: string({
    min: 1,
    max: 64,
    pattern: /^[a-z][a-z0-9._-]*$/,
    patternMessage: 'must be a lowercase operation name such as chat.completions',
  }),
  params: anyObject(),
  credentialId: optional(string({ max: 256 })),
  requirements: optional(anyObject()),
  cache: optional(object<{ ttlSeconds?: number }>({ ttlSeconds: optional(integer({ min: 1, max: 30 * 86_400 })) })),
});

/**
 * Checks the execute envelope with the schema rules rather than the global class-validator pipe
 * (the body is typed as an interface, so that pipe lets it through untouched): this is the hot
 * path, and class-transformer's instance building plus class-validator's metadata walk cost more
 * than the rest of the request handling in Nest together (README, Performance).
 */
export class ParseExecuteRequestPipe implements PipeTransform<unknown, ExecuteRequest> {
  transform(body: unknown): ExecuteRequest {
    return parseExecuteRequest(body);
  }
}

/** One execute request checked (400 VALIDATION_FAILED naming the fields) and in the gateway's vocabulary. */
export function parseExecuteRequest(body: unknown): ExecuteRequest {
  const { provider, operation, params, requirements, cache } = validated(EXECUTE_REQUEST, body ?? {});
  return {
    provider,
    operation,
    params: fromPlatformParams(operation, params),
    ...(requirements !== undefined && { requirements }),
    ...(cache !== undefined && { cache }),
  };
}
