import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@app/config';
import { CallerGuard } from '@app/auth';
import { AppModule } from './app.module.js';
import { DirectRoutes } from './http/direct-routes.js';
import { executeDirectRoute, IntegrationsController } from './integrations/integrations.controller.js';
import { AnthropicCompatController, messagesDirectRoute } from './anthropic-compat/anthropic-compat.controller.js';
import { chatDirectRoute, OpenAiCompatController } from './openai-compat/openai-compat.controller.js';
import { clientErrorHandler, frameworkErrors, installRequestGuards } from './http/framework-errors.js';
import { GatewayExceptionFilter } from './http/gateway-exception.filter.js';
import { RouteTable } from './http/route-table.js';
import { REQUEST_ID_HEADER, requestIdFor } from './http/request-id.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { batchedStdout } from './logging/batched-stdout.js';
import { createRootLogger, PinoNestLogger } from './logging/pino-logger.js';
import { readServiceVersion, type Clock } from '@app/common';

/**
 * Builds the fully configured (not yet listening) application; shared by main.ts and the tests
 * (which may pass a clock they move by hand, so nothing waits on real time).
 */
export async function createApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    bodyLimit: config.server.maxRequestBodyBytes,
    logger: false,
    // Every answer in the one error shape, framework-level ones included (see framework-errors.ts).
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: false,
  });
  const routes = new RouteTable();
  adapter.getInstance().addHook('onRoute', (route) => routes.add(route.method, route.url));
  const directRoutes = new DirectRoutes();
  adapter.getInstance().addHook('onRoute', directRoutes.onRoute);
  const rootLogger = createRootLogger(config.server);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, rootLogger, options.clock), adapter, {
    logger: new PinoNestLogger(rootLogger),
    // Fastify's own JSON parser, not Nest's wrapper around it (which builds a parser per request and
    // parses from a Buffer): measurably less CPU per execute call (bench/README.md).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Log lines still waiting for their batch are written when the server closes, not up to 20 ms later.
  fastify.addHook('onClose', (_instance, done) => {
    batchedStdout.flush();
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Every body this API takes is JSON: a text/plain one gets the same 400 MALFORMED_REQUEST as any
  // other media type, instead of reaching validation as a string.
  fastify.removeContentTypeParser('text/plain');
  installRequestGuards(fastify);
  const filter = new GatewayExceptionFilter(routes);
  app.useGlobalFilters(filter);
  // The call routes, where the gateway's own cost per call matters most.
  directRoutes.serve(
    [
      executeDirectRoute(app.get(IntegrationsController)),
      chatDirectRoute(app.get(OpenAiCompatController)),
      messagesDirectRoute(app.get(AnthropicCompatController)),
    ],
    app.get(CallerGuard),
    filter,
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpSwagger(app);
  try {
    await app.init();
    directRoutes.assertRegistered();
  } catch (error) {
    // Release what did start (database pool, timers) so a failed boot exits cleanly.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const { version } = readServiceVersion();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Integrations Service')
      .setDescription(
        'Credential-secured gateway to external AI APIs. Every provider answers in one normalized shape and fails with one error taxonomy.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-service-key' }, 'serviceKey')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // Where the platform's MCP server reads the API description.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/docs/openapi.json', (_request, reply) => reply.send(document));
}
