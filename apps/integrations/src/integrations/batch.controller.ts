import { Body, Controller, HttpCode, Inject, Logger, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@app/auth';
import { GatewayError, satisfies, object, validated } from '@app/common';
import { serverConfig, type ServerConfig } from '@app/config';
import { boundedAll } from '../execute/bounded-all.js';
import { parseExecuteRequest } from '../execute/execute-request.js';
import { ExecuteCalls } from '../routing/execute-calls.js';
import { ApiAuthenticated } from '../http/api-authenticated.decorator.js';
import { cacheWish } from '../http/cache-control.js';
import { callOptions } from '../http/call-options.js';
import { itemHangUps } from '../http/caller-hang-up.js';
import { callNamedIn, errorBody, successBody, type ErrorBody, type SuccessBody } from '../http/envelope.js';
import { ErrorResponseDto } from '../http/error-response.dto.js';
import { RequestId } from '../http/request-id.decorator.js';
import { BatchRequestDto, BatchResponseDto } from './dto/batch.dto.js';
import type { NormalizedResponse } from '@app/normalization';

type ItemResult = SuccessBody<NormalizedResponse> | ErrorBody;

/**
 * Many execute calls in one request. Each item is a whole execute call of its own (validated,
 * rate-limited, budgeted, logged, retried and fallen back like a single call, with its own request
 * id `<batch request id>.<index>`) and answers on its own: one bad item never fails the batch.
 */
@ApiTags('integrations')
@ApiAuthenticated()
@Controller('api/integrations/execute')
export class BatchController {
  private readonly logger = new Logger('BatchController');
  private readonly limits: ServerConfig['batch'];

  constructor(
    private readonly calls: ExecuteCalls,
    @Inject(serverConfig.token) server: ServerConfig,
  ) {
    this.limits = server.batch;
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Several execute calls at once, answered in request order',
    description:
      'Items run concurrently up to EXECUTE_BATCH_CONCURRENCY; each result is `{success: true, data, requestId, durationMs}` or an error in the usual shape. Streaming is not available in a batch.',
  })
  @ApiBody({ type: BatchRequestDto })
  @ApiOkResponse({ type: BatchResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED: not a list of 1 to EXECUTE_BATCH_MAX_ITEMS requests' })
  async batch(
    @CurrentCaller() caller: Caller,
    @Body() body: unknown,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuccessBody<{ results: ItemResult[] }>> {
    const { requests } = validated(this.batchRule(), body ?? {});
    const options = callOptions(reply.request);
    const hangUp = itemHangUps(reply);
    const results = await boundedAll(requests, this.limits.concurrency, async (item, index) => {
      const itemRequestId = `${requestId}.${index}`;
      const startedAt = performance.now();
      const elapsed = () => Math.round(performance.now() - startedAt);
      try {
        const request = parseExecuteRequest(item);
        if (request.params.stream === true) {
          throw GatewayError.validation([
            { field: 'params.stream', message: 'is not available in a batch; send streamed calls one by one' },
          ]);
        }
        const data = await this.calls.whole(caller, request, itemRequestId, hangUp(), {
          ...options,
          cache: cacheWish(reply.request, request.cache),
        });
        return successBody(data, itemRequestId, elapsed());
      } catch (error) {
        return errorBody(this.asGatewayError(error, itemRequestId), itemRequestId, elapsed(), callNamedIn(item));
      }
    });
    return successBody({ results }, requestId, Math.round(reply.elapsedTime));
  }

  private batchRule() {
    const max = this.limits.maxItems;
    return object<{ requests: unknown[] }>({
      requests: satisfies(
        (value) => Array.isArray(value) && value.length >= 1 && value.length <= max,
        `must be a list of 1 to ${max} execute requests`,
      ),
    });
  }

  private asGatewayError(error: unknown, requestId: string): GatewayError {
    if (error instanceof GatewayError) return error;
    this.logger.error(
      `Batch item ${requestId} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return new GatewayError('INTERNAL_ERROR', 'An internal error occurred; quote the requestId when reporting it');
  }
}
