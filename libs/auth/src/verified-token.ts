/** What a verified token (JWT or introspection) says about its bearer. */
export interface VerifiedToken {
  kind: 'user' | 'agent';
  subject: string;
  /** Organization ids the bearer belongs to, the default one first. */
  organizations: string[];
  /** Global roles. */
  roles: string[];
  /** Roles per organization id (Identity's `organizations[].role`): they apply when the call acts in that organization. */
  organizationRoles?: Readonly<Record<string, string>>;
  /** Epoch milliseconds, when the token says. */
  expiresAtMs?: number;
}
