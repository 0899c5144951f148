import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { CALLER_KEY, type Caller } from './caller.js';

/** Injects the caller the global CallerGuard authenticated (undefined on anonymous public calls). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return request[CALLER_KEY] as Caller;
});
