export * from './errors/error-code.js';
export * from './errors/gateway-error.js';
export * from './secrets/redact.js';
