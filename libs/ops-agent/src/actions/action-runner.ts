import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, withoutSecrets } from '../audit/audit-log.js';
import type { Command, CommandResult, ReportedAction } from '../opstage/opstage-contract.js';
import { ActionError } from './action-error.js';
import { OPS_ACTIONS, type OpsAction } from './ops-action.js';

/**
 * Runs Opstage commands against the actions registered under OPS_ACTIONS: answers ACTION_PREPARE
 * with current state, executes ACTION_EXECUTE behind the agent's own checks (payload validation, and
 * a named operator for actions that need confirmation, since event-bus commands skip Opstage's
 * gate), and audits every execution. Event-bus commands wrap their input as
 * `{busEvent, mapping?, payload}`: only the inner payload is the action's.
 */
@Injectable()
export class ActionRunner {
  private readonly byName: ReadonlyMap<string, OpsAction>;

  constructor(
    @Inject(OPS_ACTIONS) actions: OpsAction[],
    private readonly audit: AuditLog,
  ) {
    this.byName = new Map(actions.map((action) => [action.name, action]));
  }

  definitions(): ReportedAction[] {
    return [...this.byName.values()].map((action) => action.definition());
  }

  /** Whether a successful run of `actionName` changed what is reported to Opstage. */
  changesReportedState(actionName: string): boolean {
    return this.byName.get(actionName)?.changesReportedState ?? false;
  }

  async prepare(command: Command): Promise<CommandResult> {
    const action = this.byName.get(command.actionName);
    if (!action) return failure(unknownAction(command.actionName));
    try {
      return { success: true, data: await action.prepare() };
    } catch {
      return failure(new ActionError('ACTION_FAILED', 'Could not read the current state; see the service log'));
    }
  }

  async execute(command: Command): Promise<CommandResult> {
    const startedAt = performance.now();
    const action = this.byName.get(command.actionName);
    const { payload, viaBus } = unwrapBusCommand(command.payload);
    let result: CommandResult;
    try {
      if (!action) throw unknownAction(command.actionName);
      if (action.definition().requiresConfirmation && !command.createdByUserId) {
        throw new ActionError(
          'CONFIRMATION_REQUIRED',
          `${action.name} needs an operator's confirmed command; commands without createdByUserId (event bus) are refused`,
        );
      }
      result = { success: true, message: 'done', data: await action.run(payload, command.createdByUserId ?? null) };
    } catch (error) {
      result = failure(error instanceof ActionError ? error : new ActionError('ACTION_FAILED', 'The action failed; see the service log'));
    }
    await this.audit.record({
      kind: action && result.success ? action.auditKind : 'action',
      commandId: command.id,
      action: String(command.actionName).slice(0, 64),
      operatorId: command.createdByUserId ?? null,
      payload: { ...withoutSecrets(isObject(payload) ? payload : null), ...(viaBus && { viaBus: true }) },
      result: (result.success ? result.data : result.error) as Record<string, unknown>,
      success: result.success,
      errorCode: result.error?.code ?? null,
      durationMs: Math.round(performance.now() - startedAt),
    });
    return result;
  }
}

/** `{busEvent, mapping?, payload}` from Opstage's event bus → its inner payload; anything else is the payload itself. */
export function unwrapBusCommand(payload: unknown): { payload: unknown; viaBus: boolean } {
  if (isObject(payload) && Object.hasOwn(payload, 'busEvent')) return { payload: payload.payload ?? {}, viaBus: true };
  return { payload, viaBus: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unknownAction(name: unknown): ActionError {
  return new ActionError('UNKNOWN_ACTION', `No action named '${String(name).slice(0, 64)}'`);
}

function failure(error: ActionError): CommandResult {
  return { success: false, message: error.message, error: { code: error.code, message: error.message } };
}
