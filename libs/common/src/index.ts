export * from './cache/single-flight.js';
export * from './cache/ttl-cache.js';
export * from './errors/error-code.js';
export * from './errors/gateway-error.js';
export * from './secrets/hash.js';
export * from './secrets/redact.js';
export * from './service-version.js';
export * from './validation/schema.js';
