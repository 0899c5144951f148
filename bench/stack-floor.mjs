// The decided stack with no gateway feature: a bare NestJS + Fastify app whose one route takes the
// execute body, relays it to the upstream with undici and answers the parsed JSON, or, for a body
// with `stream: true`, the upstream's event stream as it comes (Nest's StreamableFile, which Fastify
// sends as a stream). The bench reports it as its own row, so the gateway's cost splits into what
// the stack costs and what its features do.
// `node bench/stack-floor.mjs <port> <upstreamUrl>`
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post, StreamableFile } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Agent } from 'undici';

const [port, upstreamUrl] = process.argv.slice(2);
const agent = new Agent({ connections: 256 });

class RelayController {
  async execute(body) {
    const stream = body.params.stream === true;
    const response = await agent.request({
      origin: upstreamUrl,
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: body.params.messages, max_tokens: body.params.maxTokens, ...(stream ? { stream } : {}) }),
    });
    if (stream) return new StreamableFile(response.body, { type: 'text/event-stream' });
    return { success: true, data: await response.body.json() };
  }
}
// Decorators applied by hand: this file runs as plain JavaScript, without a compiler.
Reflect.decorate([Post('execute'), HttpCode(200)], RelayController.prototype, 'execute', Object.getOwnPropertyDescriptor(RelayController.prototype, 'execute'));
Body()(RelayController.prototype, 'execute', 0);
Reflect.decorate([Controller('api/integrations')], RelayController);
class StackFloorModule {}
Reflect.decorate([Module({ controllers: [RelayController] })], StackFloorModule);

const app = await NestFactory.create(StackFloorModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(port), '127.0.0.1');
process.send?.('ready');
