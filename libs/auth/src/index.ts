export { authConfig, type AuthConfig } from './auth.config.js';
export { AuthModule } from './auth.module.js';
export { Caller, CALLER_KEY } from './caller.js';
export { CallerGuard } from './caller.guard.js';
export { CurrentCaller } from './current-caller.decorator.js';
export { Public } from './public.decorator.js';
export { RequireRoles } from './require-roles.decorator.js';
