import type { Caller } from '@app/auth';
import type { ExecutionLogScope } from '@app/execution-log';

/** Global roles that see every caller's usage and calls. */
const OVERSEER_ROLES = ['admin', 'operator'];
/** Roles in an organization that see the whole organization's usage and calls. */
const ORGANIZATION_ADMIN_ROLES = ['admin', 'owner'];

/**
 * Whose calls and usage a caller may read (/usage, /executions, the dashboard): an operator or
 * admin everything; an organization's admin or owner, and a platform service acting in an
 * organization, that organization; anyone else only their own calls.
 */
export function visibilityOf(caller: Caller): ExecutionLogScope {
  if (caller.globalRoles.some((role) => OVERSEER_ROLES.includes(role))) return { all: true };
  if (caller.orgId !== undefined) {
    const orgAdmin = caller.orgRole !== undefined && ORGANIZATION_ADMIN_ROLES.includes(caller.orgRole);
    if (orgAdmin || caller.kind === 'service') return { orgId: caller.orgId };
  }
  return { userId: caller.userId };
}

/** What /usage and the dashboard say about the scope, for the people reading it. */
export function describeVisibility(scope: ExecutionLogScope): { kind: 'all' | 'organization' | 'user'; id: string | null } {
  if ('all' in scope) return { kind: 'all', id: null };
  return 'orgId' in scope ? { kind: 'organization', id: scope.orgId } : { kind: 'user', id: scope.userId };
}
