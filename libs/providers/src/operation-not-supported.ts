import { GatewayError } from '@app/common';
import type { OperationDescriptor } from './provider-adapter.js';

export function operationNotSupported(provider: string, operation: string, operations: readonly OperationDescriptor[]): GatewayError {
  return new GatewayError('OPERATION_NOT_SUPPORTED', `Provider '${provider}' does not support operation '${operation.slice(0, 64)}'`, {
    provider,
    violations: [{ field: 'operation', message: `must be one of: ${operations.map((op) => op.name).join(', ')}` }],
  });
}
