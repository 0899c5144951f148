/** What a verified token (JWT or introspection) says about its bearer. */
export interface VerifiedToken {
  kind: 'user' | 'agent';
  subject: string;
  /** Organization ids the bearer belongs to, the default one first. */
  organizations: string[];
  roles: string[];
  /** Epoch milliseconds, when the token says. */
  expiresAtMs?: number;
}
