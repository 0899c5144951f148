import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { ExecutionLogWriter } from '@app/execution-log';
import { createApp } from '../../apps/integrations/src/create-app.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** The HTTP server for supertest. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  dataSource: DataSource;
  flushExecutionLog(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real application, configured like production but pointed at local fakes. Runs on the
 * PostgreSQL named by DATABASE_URL when set (CI), else on in-memory PGlite. typeorm-pglite keeps one
 * PGlite instance per process and closing an app closes it, so never keep two apps open at once.
 */
export async function startTestApp(environment: Record<string, string | undefined> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL ?? 'memory',
    LOG_LEVEL: 'error',
    ...environment,
  });
  const app = await createApp(config);
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  const writer = app.get(ExecutionLogWriter);
  return {
    app,
    server: app.getHttpServer(),
    dataSource,
    flushExecutionLog: () => writer.flush(),
    close: () => app.close(),
  };
}

/** A caller id no other test or earlier run uses, so assertions on shared PostgreSQL stay exact. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
