import { SetMetadata } from '@nestjs/common';

export const REQUIRED_ROLES_KEY = 'requiredRoles';

/**
 * The route (or controller) needs a caller holding at least one of `roles` (global, or held in the
 * organization the call acts in); others get 403 FORBIDDEN naming them. Checked by the global
 * CallerGuard right after authentication.
 */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES_KEY, roles);
