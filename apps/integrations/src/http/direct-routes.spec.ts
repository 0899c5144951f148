import { describe, expect, it } from '@jest/globals';
import { ForbiddenException, type ArgumentsHost, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { DirectRoutes, type DirectRoute } from './direct-routes.js';

class ItemsController {
  create(): string {
    return 'from Nest';
  }
}

const request = { id: 'req-1' } as unknown as FastifyRequest;
const reply = { sent: false } as unknown as FastifyReply;
const nestHandler = () => 'from Nest';

function route(invoke: DirectRoute['invoke'] = () => Promise.resolve({ created: true })): DirectRoute {
  return { method: 'POST', url: '/items', controller: ItemsController, handlerName: 'create', invoke };
}

/** Registers `url` as Nest would and returns the handler Fastify ends up with. */
function register(directRoutes: DirectRoutes, url = '/items', method = 'POST'): RouteOptions['handler'] {
  const options = { method, url, handler: nestHandler } as unknown as RouteOptions;
  directRoutes.onRoute(options);
  return options.handler;
}

function setUp(canActivate: (context: ExecutionContext) => Promise<boolean>, invoke?: DirectRoute['invoke']) {
  const caught: Array<{ error: unknown; host: ArgumentsHost }> = [];
  const directRoutes = new DirectRoutes();
  directRoutes.serve([route(invoke)], { canActivate }, { catch: (error, host) => caught.push({ error, host }) });
  return { directRoutes, caught };
}

describe('DirectRoutes', () => {
  it("swaps the handler of a declared route only, and runs the guard with the route's controller and method before the call", async () => {
    const seen: ExecutionContext[] = [];
    const { directRoutes, caught } = setUp((context) => {
      seen.push(context);
      return Promise.resolve(true);
    });
    expect(register(directRoutes, '/other')).toBe(nestHandler);
    expect(register(directRoutes, '/items', 'GET')).toBe(nestHandler);
    const handler = register(directRoutes);
    expect(handler).not.toBe(nestHandler);

    await expect(handler.call(undefined as never, request, reply)).resolves.toEqual({ created: true });
    expect(caught).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0].getClass()).toBe(ItemsController);
    expect(seen[0].getHandler()).toBe(Object.getOwnPropertyDescriptor(ItemsController.prototype, 'create')!.value);
    expect(seen[0].getType()).toBe('http');
    expect(seen[0].switchToHttp().getRequest()).toBe(request);
    expect(seen[0].switchToHttp().getResponse()).toBe(reply);
  });

  it("gives the guard's refusal to the exception filter and never calls the method", async () => {
    let invoked = false;
    const refusal = new Error('refused');
    const { directRoutes, caught } = setUp(
      () => Promise.reject(refusal),
      () => {
        invoked = true;
        return Promise.resolve();
      },
    );
    const handler = register(directRoutes);

    await expect(handler.call(undefined as never, request, reply)).resolves.toBe(reply);
    expect(invoked).toBe(false);
    expect(caught.map(({ error }) => error)).toEqual([refusal]);
    expect(caught[0].host.switchToHttp().getRequest()).toBe(request);
  });

  it('answers a guard that says no without an error as Nest does: a 403', async () => {
    const { directRoutes, caught } = setUp(() => Promise.resolve(false));
    await register(directRoutes).call(undefined as never, request, reply);
    expect(caught[0].error).toBeInstanceOf(ForbiddenException);
  });

  it("gives the method's failure to the exception filter", async () => {
    const failure = new Error('upstream down');
    const { directRoutes, caught } = setUp(
      () => Promise.resolve(true),
      () => Promise.reject(failure),
    );
    await expect(register(directRoutes).call(undefined as never, request, reply)).resolves.toBe(reply);
    expect(caught.map(({ error }) => error)).toEqual([failure]);
  });

  it('refuses to boot with a direct route that no controller declares', () => {
    const { directRoutes } = setUp(() => Promise.resolve(true));
    expect(() => directRoutes.assertRegistered()).toThrow('Direct routes that no controller declares: POST /items');
    register(directRoutes);
    expect(() => directRoutes.assertRegistered()).not.toThrow();
  });
});
