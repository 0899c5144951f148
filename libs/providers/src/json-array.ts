/** The JSON array a variable holds, or undefined when it is not valid JSON or not an array. */
export function parseJsonArray(json: string): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
