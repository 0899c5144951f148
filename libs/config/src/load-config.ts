import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { ConfigSlice, RawEnvironment } from '@app/common';
import { configSlices, type AppConfig } from './app-config.js';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Validates the environment against every slice and returns the typed configuration, or throws one
 * error naming every bad variable of every slice (never echoing a value: it may be a secret).
 */
export function loadConfig(environment: RawEnvironment = process.env): AppConfig {
  const slices = configSlices();
  const problems: string[] = [];
  const validated = slices.map((slice) => {
    const variables = plainToInstance(slice.variables, providedFor(slice, environment), { exposeUnsetFields: false });
    problems.push(...validateSync(variables, { whitelist: false }).map(describe));
    return variables;
  });
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const context = { environment, problem: (message: string) => void problems.push(message) };
  const config = Object.fromEntries(slices.map((slice, index) => [slice.name, slice.read(validated[index], context)]));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config as AppConfig;
}

/** Every environment variable the service reads; anything else in the environment is ignored. */
export function configVariableNames(): string[] {
  return configSlices().flatMap(variableNames);
}

function variableNames(slice: ConfigSlice): string[] {
  return Object.keys(new slice.variables());
}

/** The slice's variables that are set; empty values count as unset, so `PORT=` falls back to the default. */
function providedFor(slice: ConfigSlice, environment: RawEnvironment): Record<string, string> {
  const provided: Record<string, string> = {};
  for (const name of variableNames(slice)) {
    const value = environment[name];
    if (value !== undefined && value !== '') provided[name] = value;
  }
  return provided;
}

function describe(error: ValidationError): string {
  // class-validator's messages already start with the variable's name.
  return Object.values(error.constraints ?? {}).join('; ');
}
