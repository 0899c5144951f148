import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown, step one. Nest would close the HTTP server last, after the modules' shutdown
 * hooks have closed the database: in-flight calls would then lose their log rows. Closing Fastify in
 * the first hook (onModuleDestroy) stops new connections and waits for in-flight requests, so the
 * execution-log flush (beforeApplicationShutdown) and the database close come after them.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleDestroy(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.server.listening) return;
    const closed = fastify.close();
    // Keep-alive sockets that finish their request while we drain would otherwise hold the close
    // open until their keep-alive timeout: release each as soon as it goes idle.
    const sweeper = setInterval(() => fastify.server.closeIdleConnections(), 50);
    try {
      await closed;
    } finally {
      clearInterval(sweeper);
    }
  }
}
