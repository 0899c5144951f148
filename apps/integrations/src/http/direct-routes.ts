import { ForbiddenException, type ExceptionFilter, type ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { CALLER_KEY, type Caller } from '@app/auth';

/** A controller method that Fastify calls directly, and how its arguments are taken from the request. */
export interface DirectRoute {
  method: string;
  url: string;
  /** The class and the name of the method the route is declared on: the guard reads their @Public and @RequireRoles. */
  controller: abstract new (...args: never[]) => unknown;
  handlerName: string;
  /** Calls the method with what its parameter decorators would give it (the guard has run). */
  invoke(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/** The global guard as the direct routes run it: one that answers with a promise (CallerGuard does). */
export interface PromisedGuard {
  canActivate(context: ExecutionContext): Promise<boolean>;
}

/**
 * Hot routes served by Fastify straight into their controller's method, past Nest's per-request
 * machinery (execution context, guard and pipe consumers, parameter factories, response
 * controller), a measurable part of a call's CPU (bench/README.md). A request meets
 * the same things as on any other route: Fastify's hooks, the global guard (the same instance, with
 * the same execution context Nest would give it) and the one exception filter. The route stays
 * declared on its controller, so Swagger and the route table know it; only the handler Nest
 * registers for it is swapped, from Fastify's onRoute hook.
 */
export class DirectRoutes {
  private readonly byRoute = new Map<string, { route: DirectRoute; registered: boolean }>();
  private guard: PromisedGuard | undefined;
  private filter: ExceptionFilter | undefined;

  /** For Fastify's onRoute hook: runs while Nest registers its routes (app.init()), after `serve`. */
  readonly onRoute = (options: RouteOptions): void => {
    if (typeof options.method !== 'string') return;
    const entry = this.byRoute.get(`${options.method} ${options.url}`);
    if (!entry) return;
    entry.registered = true;
    options.handler = this.handlerFor(entry.route);
  };

  /** The routes to serve directly, the global guard and the exception filter; before Nest registers its routes. */
  serve(routes: readonly DirectRoute[], guard: PromisedGuard, filter: ExceptionFilter): void {
    this.guard = guard;
    this.filter = filter;
    for (const route of routes) this.byRoute.set(`${route.method} ${route.url}`, { route, registered: false });
  }

  /** After Nest registered its routes: a direct route no controller declares is a mistake in the code, not a route to serve. */
  assertRegistered(): void {
    const missing = [...this.byRoute.keys()].filter((key) => !this.byRoute.get(key)!.registered);
    if (missing.length > 0) throw new Error(`Direct routes that no controller declares: ${missing.join(', ')}`);
  }

  private handlerFor(route: DirectRoute): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
    const guard = this.guard!;
    const filter = this.filter!;
    const handler = (route.controller.prototype as Record<string, (...args: never[]) => unknown>)[route.handlerName];
    return async (request, reply) => {
      const context = new ExecutionContextHost([request, reply, undefined], route.controller as never, handler);
      try {
        // As Nest's guard consumer: a guard that says no without an error of its own is a 403.
        if (!(await guard.canActivate(context))) throw new ForbiddenException();
        return await route.invoke(request, reply);
      } catch (error) {
        filter.catch(error, context);
        return reply;
      }
    };
  }
}

/**
 * A direct route to a call method, POST, whose parameters are (@CurrentCaller() caller, its body,
 * @RequestId() requestId, @Res({ passthrough: true }) reply): `readBody` gives the body as the
 * method's @Body() (and its pipe) would.
 */
export function postCallRoute<Controller, Body>(
  url: string,
  controller: abstract new (...args: never[]) => Controller,
  handlerName: keyof Controller & string,
  readBody: (body: unknown) => Body,
  call: (caller: Caller, body: Body, requestId: string, reply: FastifyReply) => Promise<unknown>,
): DirectRoute {
  return {
    method: 'POST',
    url,
    controller,
    handlerName,
    invoke: (request, reply) => call((request as unknown as Record<string, Caller>)[CALLER_KEY], readBody(request.body), request.id, reply),
  };
}

/** What @Body() gives a method whose body is taken as it came (a Record: the global validation pipe passes it through). */
export function bodyAsItCame(body: unknown): Record<string, unknown> {
  return body as Record<string, unknown>;
}
