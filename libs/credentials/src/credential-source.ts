/** Whose key is wanted, for which provider. */
export interface CredentialRequest {
  userId: string;
  orgId?: string;
  provider: string;
}

export interface ResolvedCredential {
  /** The plaintext key: held in memory for the call only, never logged, stored or returned. */
  apiKey: string;
  /** Which source answered, for the execution log and diagnostics. */
  source: string;
}

/**
 * One place keys can come from (Identity service, local vault, environment). Sources are tried in
 * order; `null` means "not here, ask the next one", a thrown GatewayError stops the chain.
 */
export interface CredentialSource {
  readonly name: string;
  resolve(request: CredentialRequest): Promise<ResolvedCredential | null>;
}

export const CREDENTIAL_SOURCES = Symbol('CREDENTIAL_SOURCES');
