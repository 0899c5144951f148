import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { GatewayError, type FieldViolation } from '@app/common';

/**
 * Validates `params` against an operation's class-validator schema. Unknown fields are rejected
 * rather than silently dropped: a caller who misspells `maxTokens` must find out, not be billed for
 * an unbounded completion.
 */
export function validateParams<T extends object>(schema: ClassConstructor<T>, params: unknown, path = 'params'): T {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw GatewayError.validation([{ field: path, message: 'must be an object' }]);
  }
  const instance = plainToInstance(schema, params);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw GatewayError.validation(toViolations(errors, path));
  return instance;
}

/** Constraints that say what type a field must be; reported in preference to range checks. */
const TYPE_CONSTRAINTS = ['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isDate'];

/**
 * Flattens class-validator's nested errors into one `field: message` pair per field, with dotted paths.
 * A missing field says "is required" rather than every rule it failed; unknown fields come last.
 */
export function toViolations(errors: ValidationError[], parentPath = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const unknownFields: FieldViolation[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    if ('whitelistValidation' in constraints) {
      unknownFields.push({ field, message: 'is not a supported field' });
    } else if (Object.keys(constraints).length > 0) {
      violations.push({ field, message: error.value === undefined ? 'is required' : mainMessage(constraints, error.property) });
    }
    if (error.children?.length) violations.push(...toViolations(error.children, field));
  }
  return violations.concat(unknownFields);
}

function mainMessage(constraints: Record<string, string>, property: string): string {
  const name = TYPE_CONSTRAINTS.find((constraint) => constraint in constraints) ?? Object.keys(constraints)[0]!;
  return stripPropertyName(constraints[name]!, property);
}

/** class-validator starts messages with the bare property name; the field path already says it. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
