import type { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, CurrentCaller } from '@app/auth';
import { ProviderRegistry } from '@app/providers';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { cacheHeader } from '../http/cache-control.js';
import { callOptions } from '../http/call-options.js';
import { callerHangUp } from '../http/caller-hang-up.js';
import { eventStream } from '../http/event-stream.js';
import { bodyAsItCame, postCallRoute, type DirectRoute } from '../http/direct-routes.js';
import { openAiErrorType } from '../http/openai-error.js';
import { RequestId } from '../http/request-id.decorator.js';
import { responsesRequestFromOpenAi, ResponsesEventWriter, responseToOpenAi } from './responses-wire.mapper.js';
import { ExecuteCalls } from '../routing/execute-calls.js';
import { routedRequest } from '../routing/route-requirements-header.js';
import {
  chatCompletionToOpenAi,
  chatRequestFromOpenAi,
  embeddingsRequestFromOpenAi,
  embeddingsToOpenAi,
  modelsToOpenAi,
  OpenAiChunkWriter,
} from './openai-wire.mapper.js';

const STARTED_AT_SECONDS = Math.floor(Date.now() / 1000);

/**
 * OpenAI's own API shape, so the official `openai` SDK works unmodified (baseURL = gateway + /v1,
 * apiKey = the caller's bearer token). Same adapters, auth, credentials, limits and logging as
 * /api/integrations/execute.
 */
@ApiTags('openai-compatible')
@ApiAuthenticated()
@Controller('v1')
export class OpenAiCompatController {
  constructor(
    private readonly calls: ExecuteCalls,
    private readonly registry: ProviderRegistry,
  ) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({ summary: 'OpenAI-compatible chat completions (model "provider/model" routes to any provider; stream supported)' })
  @ApiBody({
    schema: {
      type: 'object',
      example: { model: 'anthropic/claude-3-5-sonnet-latest', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 64 },
    },
  })
  @ApiOkResponse({ description: 'An OpenAI chat.completion object, or chat.completion.chunk events when stream is true' })
  // Served by Fastify directly (chatDirectRoute below): a change to the parameters goes there too.
  async chat(
    @CurrentCaller() caller: Caller,
    @Body() body: Record<string, unknown>,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | PassThrough> {
    const { includeUsage, ...mapped } = chatRequestFromOpenAi(body ?? {}, this.registry.names());
    const request = routedRequest(mapped, reply.request);
    const requestedModel = String(body.model);
    const hangUp = callerHangUp(reply);
    const options = callOptions(reply.request);
    if (request.params.stream !== true)
      return chatCompletionToOpenAi(
        cacheHeader(reply, await this.calls.whole(caller, request, requestId, hangUp, options)),
        requestId,
        requestedModel,
      );

    const session = await this.calls.stream(caller, request, requestId, hangUp, options);
    const chunks = new OpenAiChunkWriter(requestId, requestedModel);
    return eventStream(reply, (out) =>
      session.pump({
        delta: (chunk) => out.data(chunks.delta(chunk.delta)),
        toolCall: (delta) => out.data(chunks.toolCall(delta)),
        model: (name) => chunks.answeringModel(request.provider, name),
        end: (final) => {
          out.data(chunks.finish(final));
          if (includeUsage) out.data(chunks.usage(final));
          out.done();
        },
        error: (error) =>
          out.data({ error: { message: error.message, type: openAiErrorType(error, error.status), param: null, code: error.code } }),
        ready: () => out.ready(),
      }),
    );
  }

  @Post('responses')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'OpenAI-compatible Responses API, stateless (OpenAI gets it as the Responses API; other providers translated to chat; stream supported)',
  })
  @ApiBody({ schema: { type: 'object', example: { model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'Hello' } } })
  @ApiOkResponse({ description: 'An OpenAI Response object, or its typed events when stream is true' })
  async responses(
    @CurrentCaller() caller: Caller,
    @Body() body: Record<string, unknown>,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | PassThrough> {
    const request = routedRequest(responsesRequestFromOpenAi(body ?? {}, this.registry.names()), reply.request);
    const hangUp = callerHangUp(reply);
    const options = callOptions(reply.request);
    if (request.params.stream !== true)
      return responseToOpenAi(cacheHeader(reply, await this.calls.whole(caller, request, requestId, hangUp, options)), requestId);

    const session = await this.calls.stream(caller, request, requestId, hangUp, options);
    return eventStream(reply, (out) => {
      const events = new ResponsesEventWriter(out, requestId, String(body.model));
      return session.pump({
        delta: (chunk) => events.delta(chunk.delta),
        toolCall: (delta) => events.toolCall(delta),
        model: (name) => events.answeringModel(name),
        end: (final) => events.end(final),
        error: (error) => events.error(error.code, error.message),
        ready: () => out.ready(),
      });
    });
  }

  @Post('embeddings')
  @HttpCode(200)
  @ApiOperation({ summary: 'OpenAI-compatible embeddings' })
  @ApiBody({ schema: { type: 'object', example: { model: 'text-embedding-3-small', input: ['first', 'second'] } } })
  @ApiOkResponse({ description: 'An OpenAI embeddings list' })
  async embeddings(
    @CurrentCaller() caller: Caller,
    @Body() body: Record<string, unknown>,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const { encoding, ...mapped } = embeddingsRequestFromOpenAi(body ?? {}, this.registry.names());
    const request = routedRequest(mapped, reply.request);
    return embeddingsToOpenAi(
      cacheHeader(reply, await this.calls.whole(caller, request, requestId, callerHangUp(reply), callOptions(reply.request))),
      String(body.model),
      encoding,
    );
  }

  @Get('models')
  @ApiOperation({ summary: "OpenAI-compatible model list: each provider's default models, as `model` names that route to it" })
  @ApiOkResponse({ description: 'An OpenAI model list' })
  models(): Record<string, unknown> {
    return modelsToOpenAi(this.registry.list(), STARTED_AT_SECONDS);
  }
}

/** POST /v1/chat/completions as Fastify serves it (http/direct-routes.ts): the method above. */
export function chatDirectRoute(controller: OpenAiCompatController): DirectRoute {
  return postCallRoute('/v1/chat/completions', OpenAiCompatController, 'chat', bodyAsItCame, (caller, body, requestId, reply) =>
    controller.chat(caller, body, requestId, reply),
  );
}
