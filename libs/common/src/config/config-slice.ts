import 'reflect-metadata';

export type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** What a slice's reader gets besides its validated variables. */
export interface SliceContext {
  /** The whole environment, for variables a slice names at run time (a custom provider's apiKeyEnv). */
  readonly environment: RawEnvironment;
  /** Records a problem that involves several variables; boot fails listing every problem of every slice. */
  readonly problem: (message: string) => void;
}

/**
 * One library's configuration: the environment variables it reads (a class-validator class whose
 * every field has an initializer, `undefined` for optional ones, so the list of names is the class
 * itself) and the typed value it builds from them, injected under `token` to that library alone.
 */
export interface ConfigSlice<Name extends string = string, Value = unknown> {
  readonly name: Name;
  readonly token: symbol;
  readonly variables: new () => object;
  readonly read: (variables: object, context: SliceContext) => Value;
}

export function configSlice<Name extends string, Variables extends object, Value>(
  name: Name,
  variables: new () => Variables,
  read: (variables: Variables, context: SliceContext) => Value,
): ConfigSlice<Name, Value> {
  return { name, token: Symbol(`${name} config`), variables, read: (values, context) => read(values as Variables, context) };
}

/** The assembled configuration of a list of slices: each slice's value under its name. */
export type ConfigOf<Slices extends readonly ConfigSlice[]> = {
  [Slice in Slices[number] as Slice['name']]: Slice extends ConfigSlice<string, infer Value> ? Value : never;
};

export const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
