/** Injection token for the enabled CredentialSources, in the order they are asked. */
export const CREDENTIAL_SOURCES = Symbol('CREDENTIAL_SOURCES');
