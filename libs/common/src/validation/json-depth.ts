import type { FieldViolation } from '../errors/gateway-error.js';

/** How many leading path segments a depth violation names. */
const NAMED_SEGMENTS = 8;

/**
 * Where `value` (parsed JSON) is nested deeper than `maxDepth` objects and arrays, or undefined.
 * Free-form JSON (tool schemas, response schemas, content parts) is otherwise unchecked, and a body
 * thousands of levels deep overflows the stack of whatever walks it recursively (JSON.stringify
 * when the upstream request is built). Iterative, so it cannot overflow itself; cheap on ordinary
 * bodies (a few dozen nodes).
 */
export function jsonDepthViolation(value: unknown, maxDepth: number): FieldViolation | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return { field: pathTo(value, maxDepth), message: `is nested more than ${maxDepth} levels deep` };
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The first few segments of a path from `value` down to a node deeper than `maxDepth` (only walked on failure). */
function pathTo(value: unknown, maxDepth: number): string {
  const found = deepPath(value, maxDepth, 1, []);
  const segments = found ?? [];
  return segments.length > NAMED_SEGMENTS ? `${segments.slice(0, NAMED_SEGMENTS).join('.')}…` : segments.join('.') || '(body)';
}

function deepPath(node: unknown, maxDepth: number, depth: number, path: string[]): string[] | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (depth > maxDepth) return path;
  const entries: Array<[string, unknown]> = Array.isArray(node) ? node.map((child, index) => [String(index), child]) : Object.entries(node);
  for (const [key, child] of entries) {
    // Bounded by maxDepth + 1 frames: the walk stops at the first node past the limit.
    const found = deepPath(child, maxDepth, depth + 1, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
