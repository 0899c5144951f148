/** Service-level provider keys from the environment, by provider name (ReadonlyMap<string, string>). */
export const ENVIRONMENT_KEYS = Symbol('ENVIRONMENT_KEYS');
