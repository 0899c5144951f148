import { GatewayError, violationsOf, type ObjectRule } from '@app/common';

/** Checks `params` against an operation's schema; every offending field is reported under `path`. */
export function validateParams<T>(schema: ObjectRule<T>, params: unknown, path = 'params'): T {
  const violations = violationsOf(schema, params, path);
  if (violations.length > 0) throw GatewayError.validation(violations);
  return params as T;
}
