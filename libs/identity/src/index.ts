export { identityConfig, type IdentityConfig } from './identity.config.js';
export { type Introspection, type UserIntrospection } from './identity-contract.js';
export { IdentityClient } from './identity.client.js';
export { IdentityModule } from './identity.module.js';
