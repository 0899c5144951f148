import type { ReportedAction } from '../opstage/opstage-contract.js';

/**
 * One operator action the agent offers Opstage. Each is a class registered under OPS_ACTIONS; the
 * runner finds it by name, so a new action is one file and one line in the module.
 */
export interface OpsAction {
  readonly name: string;
  definition(): ReportedAction;
  /** ACTION_PREPARE: what the operator's form starts with, and the state it acts on (never a secret). */
  prepare(): Promise<{ initialPayload: Record<string, unknown>; currentState: Record<string, unknown> }>;
  /** ACTION_EXECUTE with the (already unwrapped) payload; `operatorId` is null for event-bus commands. */
  run(payload: unknown, operatorId: string | null): Promise<unknown>;
  /** A success changes what is reported to Opstage (configs, fingerprints): report the service again. */
  readonly changesReportedState: boolean;
  /** How a success is audited. */
  readonly auditKind: 'action' | 'key_rotation';
}

export const OPS_ACTIONS = Symbol('OPS_ACTIONS');
