/** Whose key is wanted, for which provider. */
export interface CredentialRequest {
  userId: string;
  orgId?: string;
  provider: string;
  /** The caller's token, forwarded to Identity (which verifies it); memory only. */
  bearerToken?: string;
}

/**
 * Whose key for which provider, as one unambiguous string: what a source remembers per caller is
 * filed under it, and the whole identity of the request is in it, so one caller's key is never
 * served to another.
 */
export function credentialRequestKey(request: CredentialRequest): string {
  return JSON.stringify([request.userId, request.orgId ?? null, request.provider]);
}

export interface ResolvedCredential {
  /** The plaintext key: held in memory for the call only, never logged, stored or returned. */
  apiKey: string;
  /** Which source answered: identity, vault or environment. */
  source: string;
  /** The source's id for the credential, for the execution log. */
  credentialId?: string;
  /** True when the key belongs to someone else (an org-wide key shared with this user). */
  isProxy: boolean;
}

/**
 * A source's "not here" that is past its TTL, answered at once together with the lookup now checking
 * it: the resolver goes on to the next sources and waits for `lookup` only if none of them has a key
 * (its failure is then the call's, as if the call had waited for it from the start).
 */
export class MissBeingChecked {
  constructor(readonly lookup: Promise<ResolvedCredential | null>) {
    lookup.catch(() => undefined); // nobody awaits it when a later source has the key
  }
}

/**
 * One place keys can come from (Identity service, local vault, environment). Sources are asked in
 * order; `null` means "not here, ask the next one", a thrown GatewayError stops the chain, and a
 * MissBeingChecked means "not here as far as I knew; checking".
 */
export interface CredentialSource {
  readonly name: string;
  resolve(request: CredentialRequest): Promise<ResolvedCredential | null | MissBeingChecked>;
  /** Forget anything cached for this caller and provider (e.g. after the provider rejected the key). */
  invalidate?(request: CredentialRequest): void;
}
