import type { PassThrough } from 'node:stream';
import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Public } from '@app/auth';
import { ExecutionLogQuery } from '@app/execution-log';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { callOptions } from '../http/call-options.js';
import { callerHangUp } from '../http/caller-hang-up.js';
import { successBody } from '../http/envelope.js';
import { eventStream } from '../http/event-stream.js';
import { RequestId } from '../http/request-id.decorator.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { ExecuteRequestDto } from './dto/execute-request.dto.js';
import { ExecutionsQueryDto } from './dto/executions-query.dto.js';
import { ExecutionsResponseDto } from './dto/executions-response.dto.js';
import { ExecuteResponseDto } from './dto/execute-response.dto.js';
import { ProvidersResponseDto } from './dto/providers-response.dto.js';
import { parseExecuteRequest, ParseExecuteRequestPipe, type ExecuteRequest } from '../execute/execute-request.js';
import { postCallRoute, type DirectRoute } from '../http/direct-routes.js';
import { ExecuteCalls } from '../routing/execute-calls.js';
import { ProviderCatalog } from './provider-catalog.service.js';
import { visibilityOf } from '../http/visibility.js';

@ApiTags('integrations')
@ApiAuthenticated()
@Controller('api/integrations')
export class IntegrationsController {
  constructor(
    private readonly calls: ExecuteCalls,
    private readonly catalog: ProviderCatalog,
    private readonly executionLogs: ExecutionLogQuery,
  ) {}

  @Post('execute')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call a provider operation and get the normalized response',
    description:
      'The answer is `{success: true, data: <the normalized response>, requestId, durationMs}`; errors are `{success: false, error: "<message>", code, category, retryable, …}`. With params.stream: true (chat operations) the answer is text/event-stream: `data: {"delta","index"}` text frames and `data: {"toolCall": {index, id?, name?, arguments?}}` tool-call pieces as they arrive, then one `data: {provider, model, usage, finishReason, toolCalls?, metadata}` frame and `data: [DONE]`; a failure after the stream started is sent as `event: error`.',
  })
  @ApiBody({ type: ExecuteRequestDto })
  @ApiOkResponse({ type: ExecuteResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED, UNKNOWN_PROVIDER, OPERATION_NOT_SUPPORTED, PROVIDER_BAD_REQUEST, CONTEXT_LENGTH_EXCEEDED',
  })
  @ApiResponse({ status: 424, type: ErrorResponseDto, description: 'CREDENTIAL_NOT_FOUND, PROVIDER_AUTH_FAILED' })
  @ApiResponse({ status: 503, type: ErrorResponseDto, description: 'IDENTITY_UNAVAILABLE' })
  @ApiResponse({ status: 429, type: ErrorResponseDto, description: 'PROVIDER_RATE_LIMITED (with retryAfterMs), PROVIDER_QUOTA_EXCEEDED' })
  @ApiResponse({ status: 502, type: ErrorResponseDto, description: 'PROVIDER_UNAVAILABLE, PROVIDER_INVALID_RESPONSE' })
  @ApiResponse({ status: 504, type: ErrorResponseDto, description: 'PROVIDER_TIMEOUT' })
  // Served by Fastify directly (executeDirectRoute below): a change to the parameters goes there too.
  async execute(
    @CurrentCaller() caller: Caller,
    @Body(ParseExecuteRequestPipe) request: ExecuteRequest,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExecuteResponseDto | PassThrough> {
    const hangUp = callerHangUp(reply);
    const options = callOptions(reply.request, request.cache);
    if (request.params.stream !== true) {
      const data = await this.calls.whole(caller, request, requestId, hangUp, options);
      return successBody(data, requestId, Math.round(reply.elapsedTime));
    }
    const session = await this.calls.stream(caller, request, requestId, hangUp, options);
    return eventStream(reply, (out) =>
      session.pump({
        delta: (chunk) => out.data(chunk),
        toolCall: (delta) => out.data({ toolCall: delta }),
        end: (final) => {
          out.data(final);
          out.done();
        },
        error: (error) => out.event('error', { error: { code: error.code, message: error.message, requestId } }),
        ready: () => out.ready(),
      }),
    );
  }

  @Get('providers')
  @Public({ identifyCaller: true })
  @ApiOperation({
    summary: 'Providers, their operations and default models',
    description: 'Public. With credentials, credentialAvailable says whether the caller has a key for each provider.',
  })
  @ApiOkResponse({ type: ProvidersResponseDto })
  async providers(@CurrentCaller() caller: Caller | undefined): Promise<ProvidersResponseDto> {
    return { providers: await this.catalog.list(caller) };
  }

  @Get('executions')
  @ApiOperation({
    summary: 'Execution log, newest first',
    description:
      "Operators and admins see every caller's; an organization's admin or owner (and a platform service acting in an organization) that organization's; anyone else their own calls.",
  })
  @ApiOkResponse({ type: ExecutionsResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  executions(@CurrentCaller() caller: Caller, @Query() query: ExecutionsQueryDto): Promise<ExecutionsResponseDto> {
    const scope = visibilityOf(caller);
    return this.executionLogs.find({ ...query, scope });
  }
}

/** POST /api/integrations/execute as Fastify serves it (http/direct-routes.ts): the method above, its body through its pipe's check. */
export function executeDirectRoute(controller: IntegrationsController): DirectRoute {
  return postCallRoute(
    '/api/integrations/execute',
    IntegrationsController,
    'execute',
    parseExecuteRequest,
    (caller, request, requestId, reply) => controller.execute(caller, request, requestId, reply),
  );
}
