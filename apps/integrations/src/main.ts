import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from '@app/config';
import { createApp } from './create-app.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  console.log(`Integrations Service listening on http://${config.host}:${config.port} (docs at /docs)`);
}

void bootstrap();
