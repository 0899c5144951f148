import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { GatewayError, type FieldViolation } from '@app/common';

/**
 * Validation of the control-plane DTOs (queries, credentials, audit) with our error shape: unknown
 * fields are rejected, and each failure names its field under VALIDATION_FAILED. The execute path
 * does not come through here: it uses the schema rules of @app/common (see execute-request.ts).
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => GatewayError.validation(toViolations(errors)),
  });
}

/**
 * Names every object has through its prototype: class-transformer skips them when it builds the
 * DTO, so the whitelist never sees them and `{"constructor": 1}` was let through. Refused here,
 * like any other unknown field.
 */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'prototype'];

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only where a DTO class validates the value; untyped bodies (the /v1 surface) map fields themselves.
    if (
      value !== null &&
      typeof value === 'object' &&
      metadata.metatype !== undefined &&
      metadata.metatype !== Object &&
      (metadata.type === 'body' || metadata.type === 'query')
    ) {
      const names = PROTOTYPE_NAMES.filter((name) => Object.hasOwn(value, name));
      if (names.length > 0) throw GatewayError.validation(names.map((field) => ({ field, message: 'is not a supported field' })));
    }
    return super.transform(value, metadata);
  }
}

/** Constraints that say what type a field must be; reported in preference to range checks. */
const TYPE_CONSTRAINTS = ['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isDate'];

/**
 * Flattens class-validator's nested errors into one `field: message` pair per field, with dotted paths.
 * A missing field says "is required" rather than every rule it failed; unknown fields come last.
 */
function toViolations(errors: ValidationError[], parentPath = ''): FieldViolation[] {
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
  const name = TYPE_CONSTRAINTS.find((constraint) => constraint in constraints) ?? Object.keys(constraints)[0];
  return stripPropertyName(constraints[name], property);
}

/** class-validator starts messages with the bare property name; the field path already says it. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
