export * from './app-config.js';
export * from './config.module.js';
export * from './environment.variables.js';
export * from './fallback-chains.js';
export * from './load-config.js';
