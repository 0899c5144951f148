export { credentialsConfig, type CredentialSourceName, type CredentialsConfig } from './credentials.config.js';
export { credentialRequestKey, type CredentialRequest, type ResolvedCredential } from './credential-source.js';
export { CredentialResolver } from './credential.resolver.js';
export { CREDENTIAL_MIGRATIONS, CredentialsModule } from './credentials.module.js';
export { CredentialVault, type StoredCredentialSummary } from './vault/credential-vault.js';
export { ServiceKeys, type ServiceKeyState } from './vault/service-keys.js';
export { type CredentialScope } from './vault/stored-credential.entity.js';
