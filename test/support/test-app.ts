import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { ExecutionLogWriter } from '@app/execution-log';
import { createApp } from '../../apps/integrations/src/create-app.js';
import { AttemptAccounting } from '../../apps/integrations/src/execute/attempt-accounting.js';
import { batchedStdout } from '../../apps/integrations/src/logging/batched-stdout.js';
import { waitFor } from './fake-opstage.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** The HTTP server for supertest. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  dataSource: DataSource;
  flushExecutionLog(): Promise<void>;
  /** Writes the log lines still waiting for their batch (they are written within 20 ms anyway). */
  flushLogs(): void;
  /** Resolves once the token and spend counting of every answered call is done (it runs after the answer). */
  settleAccounting(): Promise<void>;
  /** Listens on 127.0.0.1 (for clients that read a response as it arrives); returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real application, configured like production but pointed at local fakes. Runs on the
 * PostgreSQL named by DATABASE_URL when set (CI), else on in-memory PGlite. typeorm-pglite keeps one
 * PGlite instance per process and closing an app closes it, so never keep two apps open at once.
 */
export async function startTestApp(
  environment: Record<string, string | undefined> = {},
  options: { clock?: () => number } = {},
): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL ?? 'memory',
    LOG_LEVEL: 'error',
    AUTH_MODE: 'jwt',
    JWT_SECRET: TEST_JWT_SECRET,
    // Suites that exercise Identity or the vault name their sources; the rest use environment keys.
    CREDENTIAL_SOURCES: 'environment',
    // One attempt and a breaker that never trips, so each suite sees exactly the upstream answer it
    // scripted; the resilience suite sets its own.
    RETRY_MAX_ATTEMPTS: '1',
    CIRCUIT_MIN_CALLS: '100000',
    // Built-in models only; the platform-wire suite points at a fake Catalog.
    CATALOG_REFRESH_MS: '0',
    // Suites share one database and write rows dated anywhere in time; retention has its own suite
    // on a database of its own, so no suite's app drops another suite's partitions.
    EXECUTION_LOG_RETENTION_DAYS: '0',
    EXECUTION_LOG_ROLLUP_RETENTION_DAYS: '0',
    ...environment,
  });
  const app = await createApp(config, options);
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  const writer = app.get(ExecutionLogWriter);
  return {
    app,
    server: app.getHttpServer(),
    dataSource,
    flushExecutionLog: () => writer.flush(),
    flushLogs: () => batchedStdout.flush(),
    settleAccounting: () => app.get(AttemptAccounting, { strict: false }).settled(),
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return app.getUrl();
    },
    close: () => app.close(),
  };
}

/** A caller id no other test or earlier run uses, so assertions on shared PostgreSQL stay exact. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** One vault key for every suite: on a shared PostgreSQL the vault's key check outlives a test run. */
export const TEST_VAULT_KEY = Buffer.alloc(32, 11).toString('base64');

/** HS256 secret the test apps trust by default (AUTH_MODE=jwt). */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

export interface TokenOptions {
  orgId?: string;
  /** The role held in orgId (Identity's organizations[].role), e.g. admin for an org admin. */
  orgRole?: string;
  roles?: string[];
  expiresIn?: number;
}

/** A real signed JWT for `userId`, as a platform IdP would mint it. */
export function tokenFor(userId: string, options: TokenOptions = {}): string {
  const claims: Record<string, unknown> = { sub: userId, roles: options.roles ?? [] };
  if (options.orgId) claims.orgId = options.orgId;
  if (options.orgId && options.orgRole) claims.organizations = [{ id: options.orgId, role: options.orgRole }];
  return jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: options.expiresIn ?? 300 });
}

/** Headers of an authenticated caller. */
export function authAs(userId: string, options: TokenOptions = {}): Record<string, string> {
  return { authorization: `Bearer ${tokenFor(userId, options)}` };
}

/** The smallest valid execute body: one user message to OpenAI's chat completions. */
export const chatBody = { provider: 'openai', operation: 'chat.completions', params: { messages: [{ role: 'user', content: 'Hi' }] } };

/** Waits (flushing the execution log as it goes) until `userId`'s first logged call ended with `errorCode`. */
export async function waitForLoggedError(gateway: TestApp, userId: string, errorCode: string): Promise<void> {
  await waitFor(
    async () => {
      await gateway.flushExecutionLog();
      const rows = await gateway.dataSource.query('SELECT error_code FROM execution_logs WHERE user_id = $1', [userId]);
      return rows[0]?.error_code === errorCode;
    },
    3000,
    `the ${errorCode} log row`,
  );
}
