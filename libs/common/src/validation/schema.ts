import { GatewayError, type FieldViolation } from '../errors/gateway-error.js';

/**
 * A small validator for request bodies on the hot path. Each rule is a plain function over the
 * parsed JSON, with no instance building or metadata lookups: class-validator cost about a sixth of
 * the gateway's CPU per call (see README, Performance). It reports what class-validator did for us:
 * every offending field with a dotted path, one message each, and unknown fields last.
 */
export interface Rule<T> {
  /** Pushes a violation for `path` (or a field below it) when `value` breaks the rule. A property, not a method: rules pass it around unbound. */
  check: (value: unknown, path: string, out: FieldViolation[]) => void;
  /** Optional rules let undefined and null through (as class-validator's @IsOptional did). */
  readonly optional: boolean;
  /** Type marker only; never set. */
  readonly type?: T;
}

/** A rule for every property of T, and no other. */
export type Shape<T> = { [K in keyof T]-?: Rule<T[K]> };

export interface ObjectRule<T> extends Rule<T> {
  readonly shape: Shape<T>;
}

function rule<T>(check: Rule<T>['check']): Rule<T> {
  return { check, optional: false };
}

export function optional<T>(inner: Rule<T>): Rule<T | undefined> {
  return { check: inner.check, optional: true };
}

interface LengthLimits {
  min?: number;
  max?: number;
}

export function string(limits: LengthLimits & { pattern?: RegExp; patternMessage?: string } = {}): Rule<string> {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, pattern, patternMessage = `must match ${String(pattern)}` } = limits;
  return rule((value, path, out) => {
    if (typeof value !== 'string') out.push({ field: path, message: 'must be a string' });
    else if (value.length < min) out.push({ field: path, message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` });
    else if (value.length > max) out.push({ field: path, message: `must be at most ${max} characters` });
    else if (pattern && !pattern.test(value)) out.push({ field: path, message: patternMessage });
  });
}

function range(value: number, path: string, out: FieldViolation[], { min, max }: { min?: number; max?: number }): void {
  if (min !== undefined && value < min) out.push({ field: path, message: `must not be less than ${min}` });
  else if (max !== undefined && value > max) out.push({ field: path, message: `must not be greater than ${max}` });
}

export function integer(limits: { min?: number; max?: number } = {}): Rule<number> {
  return rule((value, path, out) => {
    if (!Number.isInteger(value)) out.push({ field: path, message: 'must be an integer number' });
    else range(value as number, path, out, limits);
  });
}

/** A finite number (JSON cannot carry NaN or Infinity, but a caller's library may still try). */
export function number(limits: { min?: number; max?: number } = {}): Rule<number> {
  return rule((value, path, out) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) out.push({ field: path, message: 'must be a number' });
    else range(value, path, out, limits);
  });
}

export function boolean(): Rule<boolean> {
  return rule((value, path, out) => {
    if (typeof value !== 'boolean') out.push({ field: path, message: 'must be a boolean value' });
  });
}

export function oneOf<T extends string>(values: readonly T[]): Rule<T> {
  const allowed = new Set<unknown>(values);
  const message = `must be one of the following values: ${values.join(', ')}`;
  return rule((value, path, out) => {
    if (!allowed.has(value)) out.push({ field: path, message });
  });
}

/** Any JSON object, unchecked inside (e.g. a JSON Schema the caller passes through). */
export function anyObject(): Rule<Record<string, unknown>> {
  return rule((value, path, out) => {
    if (!isPlainObject(value)) out.push({ field: path, message: 'must be an object' });
  });
}

/** A value no built-in rule describes: `test` decides, `message` explains. */
export function satisfies<T>(test: (value: unknown) => boolean, message: string): Rule<T> {
  return rule((value, path, out) => {
    if (!test(value)) out.push({ field: path, message });
  });
}

export function arrayOf<T>(item: Rule<T>, { min = 0, max = Number.MAX_SAFE_INTEGER }: LengthLimits = {}): Rule<T[]> {
  return rule((value, path, out) => {
    if (!Array.isArray(value)) return void out.push({ field: path, message: 'must be an array' });
    if (value.length < min) return void out.push({ field: path, message: `must contain at least ${min} element${min === 1 ? '' : 's'}` });
    if (value.length > max) return void out.push({ field: path, message: `must contain no more than ${max} elements` });
    for (let index = 0; index < value.length; index++) item.check(value[index], `${path}.${index}`, out);
  });
}

/**
 * An object with exactly these fields. Unknown fields are refused rather than dropped: a caller who
 * misspells `maxTokens` must find out, not be billed for an unbounded completion.
 */
export function object<T>(shape: Shape<T>): ObjectRule<T> {
  const entries = Object.entries<Rule<unknown>>(shape as Record<string, Rule<unknown>>);
  return {
    shape,
    optional: false,
    check(value, path, out) {
      if (!isPlainObject(value)) return void out.push({ field: path, message: 'must be an object' });
      for (const [name, fieldRule] of entries) {
        const fieldValue = value[name];
        if (fieldValue === undefined || fieldValue === null) {
          // null stays a value for required rules: `content: null` is how tool-call turns say "no text".
          if (fieldRule.optional) continue;
          if (fieldValue === undefined) {
            out.push({ field: fieldPath(path, name), message: 'is required' });
            continue;
          }
        }
        // The path is built only for fields that are present: most optional ones are not.
        fieldRule.check(fieldValue, fieldPath(path, name), out);
      }
      for (const name in value) {
        if (!Object.hasOwn(shape, name)) out.push({ field: fieldPath(path, name), message: 'is not a supported field' });
      }
    },
  };
}

function fieldPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** The same object rule with more fields (e.g. a provider's own extras over the shared chat params). */
export function extend<T, U>(base: ObjectRule<T>, more: Shape<U>): ObjectRule<T & U> {
  return object<T & U>({ ...base.shape, ...more } as Shape<T & U>);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Runs `rule` over `value` and returns every violation (empty when the value is valid). */
export function violationsOf<T>(rule: Rule<T>, value: unknown, path = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  rule.check(value, path, out);
  return out;
}

/** `value` as T when it satisfies `rule`; otherwise VALIDATION_FAILED naming every offending field. */
export function validated<T>(rule: Rule<T>, value: unknown, path = ''): T {
  const violations = violationsOf(rule, value, path);
  if (violations.length > 0) throw GatewayError.validation(violations);
  return value as T;
}
