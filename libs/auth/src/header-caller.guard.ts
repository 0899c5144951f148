import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GatewayError } from '@app/common';
import { CALLER_KEY, type Caller } from './caller.js';

const IDENTIFIER = /^[A-Za-z0-9._:@|-]{1,128}$/;

/**
 * TEMPORARY: trusts `x-user-id` / `x-org-id` headers until JWT authentication lands. Deploy only
 * behind a trusted network boundary meanwhile. Identifiers are still checked so logs stay clean.
 */
@Injectable()
export class HeaderCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> } & Record<string, unknown>>();
    const userId = single(request.headers['x-user-id']);
    const orgId = single(request.headers['x-org-id']);
    if (!userId || !IDENTIFIER.test(userId)) {
      throw new GatewayError('UNAUTHENTICATED', 'Send the caller as an x-user-id header (1-128 characters of letters, digits and ._:@|-)');
    }
    if (orgId !== undefined && !IDENTIFIER.test(orgId)) {
      throw new GatewayError('UNAUTHENTICATED', 'x-org-id must be 1-128 characters of letters, digits and ._:@|-');
    }
    const caller: Caller = orgId === undefined ? { userId } : { userId, orgId };
    request[CALLER_KEY] = caller;
    return true;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
