import { createHash } from 'node:crypto';

/**
 * The cache key of a call: a hash of who may share it (the organization, else the user alone), the
 * provider, operation and model, and the params in a canonical form (keys sorted; `stream` left out),
 * so the same question asked in another key order is the same entry and no answer crosses organizations.
 */
export function responseCacheKey(
  scope: { orgId?: string; userId: string },
  call: { provider: string; operation: string; model: string; params: Record<string, unknown> },
): string {
  const { stream: _stream, ...params } = call.params;
  const owner = scope.orgId !== undefined ? ['org', scope.orgId] : ['user', scope.userId];
  const canonical = JSON.stringify([owner, call.provider, call.operation, call.model, sortedKeys(params)]);
  return createHash('sha256').update(canonical).digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
