import type { PassThrough } from 'node:stream';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, CurrentCaller } from '@app/auth';
import { ProviderRegistry } from '@app/providers';
import { cacheHeader } from '../http/cache-control.js';
import { ExecuteCalls } from '../routing/execute-calls.js';
import { routedRequest } from '../routing/route-requirements-header.js';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { anthropicErrorBody } from '../http/anthropic-error.js';
import { callOptions } from '../http/call-options.js';
import { callerHangUp } from '../http/caller-hang-up.js';
import { eventStream } from '../http/event-stream.js';
import { bodyAsItCame, postCallRoute, type DirectRoute } from '../http/direct-routes.js';
import { RequestId } from '../http/request-id.decorator.js';
import { AnthropicEventWriter, messagesRequestFromAnthropic, messageToAnthropic } from './anthropic-wire.mapper.js';

/**
 * Anthropic's Messages API shape, so the official `@anthropic-ai/sdk` (and tools built on it) work
 * unmodified (baseURL = the gateway, the caller's token as the API key or auth token). Same
 * adapters, auth, credentials, limits and logging as /api/integrations/execute.
 */
@ApiTags('anthropic-compatible')
@ApiAuthenticated()
@Controller('v1')
export class AnthropicCompatController {
  constructor(
    private readonly calls: ExecuteCalls,
    private readonly registry: ProviderRegistry,
  ) {}

  @Post('messages')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Anthropic-compatible Messages (a plain claude-… model goes to Anthropic; "provider/model" routes to any provider; stream supported)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { model: 'claude-3-5-sonnet-latest', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] },
    },
  })
  @ApiOkResponse({ description: 'An Anthropic Message, or its event stream when stream is true' })
  // Served by Fastify directly (messagesDirectRoute below): a change to the parameters goes there too.
  async messages(
    @CurrentCaller() caller: Caller,
    @Body() body: Record<string, unknown>,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | PassThrough> {
    const request = routedRequest(messagesRequestFromAnthropic(body ?? {}, this.registry.names()), reply.request);
    const hangUp = callerHangUp(reply);
    const options = callOptions(reply.request);
    if (request.params.stream !== true)
      return messageToAnthropic(cacheHeader(reply, await this.calls.whole(caller, request, requestId, hangUp, options)), requestId);

    const session = await this.calls.stream(caller, request, requestId, hangUp, options);
    return eventStream(reply, (out) => {
      const events = new AnthropicEventWriter(out, requestId, String(body.model));
      return session.pump({
        delta: (chunk) => events.delta(chunk.delta),
        toolCall: (delta) => events.toolCall(delta),
        model: (name) => events.answeringModel(name),
        end: (final) => events.end(final),
        error: (error) => out.event('error', anthropicErrorBody(error, requestId)),
        ready: () => out.ready(),
      });
    });
  }
}

/** POST /v1/messages as Fastify serves it (http/direct-routes.ts): the method above. */
export function messagesDirectRoute(controller: AnthropicCompatController): DirectRoute {
  return postCallRoute('/v1/messages', AnthropicCompatController, 'messages', bodyAsItCame, (caller, body, requestId, reply) =>
    controller.messages(caller, body, requestId, reply),
  );
}
