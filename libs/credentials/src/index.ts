export * from './credential-source.js';
export * from './credential.resolver.js';
export * from './credentials.module.js';
export * from './environment-credential.source.js';
