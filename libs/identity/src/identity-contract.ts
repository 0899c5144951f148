/** Wire types of the Identity service (shared/contracts/identity.md). */

export interface InactiveIntrospection {
  active: false;
}

export interface UserIntrospection {
  active: true;
  type: 'user';
  sub: string;
  email?: string;
  name?: string;
  isSuperAdmin?: boolean;
  /** `role` is the user's role in that organization (e.g. admin); `roles` below are global. */
  organizations?: Array<{ id: string; name?: string; role?: string }>;
  entitlements?: string[];
  roles?: string[];
  exp?: number;
  iat?: number;
}

export interface AgentIntrospection {
  active: true;
  type: 'agent';
  sub: string;
  agentId?: string;
  name?: string;
  orgId?: string;
  capabilities?: string[];
  exp?: number;
  iat?: number;
}

export type Introspection = InactiveIntrospection | UserIntrospection | AgentIntrospection;

/** A key the Identity service holds for a user (or the user's organization). */
export interface IdentityCredential {
  apiKey: string;
  credentialId?: string;
  /** True when the user is using an org-wide key owned by someone else. */
  isProxy: boolean;
  isOrgWide: boolean;
  ownerId?: string;
}
