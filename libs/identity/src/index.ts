export * from './identity-contract.js';
export * from './identity.client.js';
export * from './identity.module.js';
