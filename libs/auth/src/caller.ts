export type CallerKind = 'user' | 'agent' | 'service';

export interface CallerInit {
  kind: CallerKind;
  userId: string;
  orgId?: string;
  roles?: readonly string[];
  /** The token's own roles, without the one held in the acting organization (default: roles). */
  globalRoles?: readonly string[];
  /** The role held in the organization the call acts in, when the token says. */
  orgRole?: string;
  /** For service callers: the service acting on behalf of `userId`. */
  service?: string;
  bearerToken?: string;
}

/**
 * Who is calling: the user the gateway acts for, their organization and roles. The bearer token is
 * kept in a private field so that logging or serializing a Caller can never print it; it is only
 * read to forward to the Identity service for credential lookups.
 */
export class Caller {
  readonly kind: CallerKind;
  readonly userId: string;
  readonly orgId?: string;
  /** Global roles plus the role held in the acting organization. */
  readonly roles: readonly string[];
  readonly globalRoles: readonly string[];
  readonly orgRole?: string;
  readonly service?: string;
  readonly #bearerToken?: string;

  constructor(init: CallerInit) {
    this.kind = init.kind;
    this.userId = init.userId;
    this.orgId = init.orgId;
    this.roles = init.roles ?? [];
    this.globalRoles = init.globalRoles ?? this.roles;
    this.orgRole = init.orgRole;
    this.service = init.service;
    this.#bearerToken = init.bearerToken;
  }

  get bearerToken(): string | undefined {
    return this.#bearerToken;
  }

  hasRole(role: string): boolean {
    return this.roles.includes(role);
  }
}

/** Where the guard attaches the authenticated caller on the request. */
export const CALLER_KEY = 'caller';

/** Plain identifiers only, so ids are safe in logs, headers and SQL parameters alike. */
export const IDENTIFIER = /^[A-Za-z0-9._:@|-]{1,128}$/;
