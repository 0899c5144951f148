import { GatewayError, validated, type Rule } from '@app/common';
import { operationNotSupported } from './operation-not-supported.js';
import type { AdapterResult, OperationDescriptor, PreparedCall, ProviderAdapter, UpstreamFailure } from './provider-adapter.js';
import type { StreamDecoder } from './streaming/stream-types.js';
import type { UpstreamReply, UpstreamRequest } from './upstream/upstream-types.js';

/**
 * One operation of one provider, typed by its params: how they are checked, which model they mean,
 * and how a call is built, normalized and (optionally) streamed. No `operation ===` branches and no
 * casts in the adapters: the table routes, and `operation()` keeps each entry's types together.
 */
export interface Operation<Params> {
  description: string;
  defaultModel: string;
  schema: Rule<Params>;
  /** Checks the schema cannot express (a provider's own limits); push violations, do not throw. */
  refine?(params: Params): Array<{ field: string; message: string }>;
  build(params: Params, model: string, apiKey: string | undefined): UpstreamRequest;
  normalize(params: Params, model: string, reply: UpstreamReply): AdapterResult;
  stream?(params: Params, model: string, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder };
}

/** An operation with its params type erased for the table: the one place that type is forgotten. */
export type AnyOperation = Operation<{ model?: string }>;

export function operation<Params extends { model?: string }>(definition: Operation<Params>): AnyOperation {
  return definition;
}

/**
 * A ProviderAdapter from a table of operations: each provider folder declares its operations, error
 * mapper and probe; validation, routing and the operation list come from here.
 */
export abstract class TableAdapter implements ProviderAdapter {
  abstract readonly name: string;
  abstract readonly displayName: string;
  abstract readonly timeoutMs: number;
  abstract readonly baseUrl: string;
  readonly requiresCredential: boolean = true;
  protected abstract readonly table: Readonly<Record<string, AnyOperation>>;

  get operations(): readonly OperationDescriptor[] {
    return Object.entries(this.table).map(([name, { description, defaultModel }]) => ({ name, description, defaultModel }));
  }

  validate(operationName: string, params: unknown): PreparedCall {
    const entry = Object.hasOwn(this.table, operationName) ? this.table[operationName] : undefined;
    if (!entry) throw operationNotSupported(this.name, operationName, this.operations);
    const checked = validated(entry.schema, params, 'params');
    const violations = entry.refine?.(checked) ?? [];
    if (violations.length > 0) throw GatewayError.validation(violations);
    return { operation: operationName, model: checked.model ?? entry.defaultModel, params: checked };
  }

  buildRequest(call: PreparedCall, apiKey: string | undefined): UpstreamRequest {
    return this.entry(call).build(call.params as { model?: string }, call.model, apiKey);
  }

  normalize(call: PreparedCall, reply: UpstreamReply): AdapterResult {
    return this.entry(call).normalize(call.params as { model?: string }, call.model, reply);
  }

  streamRequest(call: PreparedCall, apiKey: string | undefined): { request: UpstreamRequest; decoder: StreamDecoder } | undefined {
    return this.entry(call).stream?.(call.params as { model?: string }, call.model, apiKey);
  }

  abstract mapError(reply: UpstreamReply): UpstreamFailure;
  abstract probeRequest(apiKey: string | undefined): UpstreamRequest;

  private entry(call: PreparedCall): AnyOperation {
    return this.table[call.operation];
  }
}
