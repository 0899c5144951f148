import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { serverConfig, type ServerConfig } from '@app/config';

/**
 * Graceful shutdown, step one. Nest would close the HTTP server last, after the modules' shutdown
 * hooks have closed the database: in-flight calls would then lose their log rows. Closing Fastify in
 * the first hook (onModuleDestroy) stops new connections and waits for in-flight requests, so the
 * execution-log flush (beforeApplicationShutdown) and the database close come after them. The wait
 * is bounded (SHUTDOWN_DRAIN_TIMEOUT_MS): a client that never finishes its request, or a
 * connection stuck half-open, must not keep the buffered log rows from being written before the
 * orchestrator's SIGKILL.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private readonly logger = new Logger('HttpDrain');
  private readonly timeoutMs: number;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(serverConfig.token) config: ServerConfig,
  ) {
    this.timeoutMs = config.shutdownDrainTimeoutMs;
  }

  async onModuleDestroy(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.server.listening) return;
    const closed = fastify.close();
    // Keep-alive sockets that finish their request while we drain would otherwise hold the close
    // open until their keep-alive timeout: release each as soon as it goes idle.
    const sweeper = setInterval(() => fastify.server.closeIdleConnections(), 50);
    const cutter = setTimeout(() => {
      this.logger.warn(`Requests still open after ${this.timeoutMs} ms (SHUTDOWN_DRAIN_TIMEOUT_MS); cutting their connections`);
      fastify.server.closeAllConnections();
    }, this.timeoutMs);
    try {
      await closed;
    } finally {
      clearInterval(sweeper);
      clearTimeout(cutter);
    }
  }
}
