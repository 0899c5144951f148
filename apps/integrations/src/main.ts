import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '@app/config';
import { embeddedDatabaseWarning } from '@app/database';
import { createApp } from './create-app.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { installLastResortHandlers } from './process/last-resort.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const metrics = app.get(GatewayMetrics);
  const logger = new Logger('Process');
  installLastResortHandlers({ count: (kind) => metrics.countInternalError(kind), log: (line) => logger.error(line) });
  const databaseWarning = embeddedDatabaseWarning(config.database, config.executionLog.retentionDays);
  if (databaseWarning) new Logger('Database').warn(databaseWarning);
  const { port, host } = config.server;
  await app.listen({ port, host });
  console.log(`Integrations Service listening on http://${host}:${port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // A configuration error explains itself; anything else gets its stack for the operator.
  const detail =
    error instanceof ConfigValidationError || !(error instanceof Error)
      ? String(error instanceof Error ? error.message : error)
      : error.stack;
  console.error(`Integrations Service failed to start: ${detail}`);
  process.exit(1);
});
