import { ActionError } from './action-error.js';

/**
 * Opstage does not validate payloads against an action's inputSchema, so the agent does: an object
 * with only the listed fields, each of the stated kind.
 */
export function readPayload(
  payload: unknown,
  fields: Record<string, { required: boolean; oneOf?: readonly string[]; minLength?: number; maxLength?: number }>,
): Record<string, string | undefined> {
  const body = payload ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ActionError('INVALID_PAYLOAD', 'The payload must be an object');
  const result: Record<string, string | undefined> = {};
  for (const field of Object.keys(body)) {
    if (!(field in fields) && field !== 'confirmation')
      throw new ActionError('INVALID_PAYLOAD', `Unknown payload field '${field.slice(0, 64)}'`);
  }
  for (const [field, rule] of Object.entries(fields)) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined || value === null || value === '') {
      if (rule.required) throw new ActionError('INVALID_PAYLOAD', `${field} is required`);
      continue;
    }
    if (typeof value !== 'string') throw new ActionError('INVALID_PAYLOAD', `${field} must be a string`);
    if (rule.oneOf && !rule.oneOf.includes(value))
      throw new ActionError('INVALID_PAYLOAD', `${field} must be one of: ${rule.oneOf.join(', ')}`);
    if (rule.maxLength && value.length > rule.maxLength)
      throw new ActionError('INVALID_PAYLOAD', `${field} must be at most ${rule.maxLength} characters`);
    if (rule.minLength && (value.length < rule.minLength || /\s/.test(value))) {
      throw new ActionError('INVALID_PAYLOAD', `${field} must be at least ${rule.minLength} characters without spaces`);
    }
    result[field] = value;
  }
  return result;
}
