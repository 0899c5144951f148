export * from './credential-source.js';
export * from './credential.resolver.js';
export * from './credentials.module.js';
export * from './vault/credential-vault.js';
export * from './vault/service-keys.js';
export * from './vault/stored-credential.entity.js';
export * from './vault/vault-cipher.js';
