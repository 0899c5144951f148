import { Injectable } from '@nestjs/common';
import { AuditLog, withoutSecrets } from '../audit/audit-log.js';
import type { Command, CommandResult, ReportedAction } from '../opstage/opstage-contract.js';
import { ActionError } from './action-error.js';
import { HealthCheckAction } from './health-check.action.js';
import { KeyRotationActions } from './key-rotation.actions.js';
import type { ServiceHealth } from '../report/service-health.js';

/**
 * Runs Opstage commands: answers ACTION_PREPARE with current state, executes ACTION_EXECUTE behind
 * the agent's own checks (payload validation, and a named operator for actions that need
 * confirmation, since event-bus commands skip Opstage's gate), and audits every execution.
 */
@Injectable()
export class ActionRunner {
  constructor(
    private readonly healthCheck: HealthCheckAction,
    private readonly keyRotation: KeyRotationActions,
    private readonly audit: AuditLog,
  ) {}

  definitions(): ReportedAction[] {
    return [this.healthCheck.definition(), ...this.keyRotation.definitions()];
  }

  async prepare(command: Command, health: ServiceHealth): Promise<CommandResult> {
    switch (command.actionName) {
      case 'runHealthCheck':
        return { success: true, data: { initialPayload: {}, currentState: { health: await health.current() } } };
      case 'rotateKey':
      case 'rollbackKey':
        return { success: true, data: { initialPayload: { provider: 'openai' }, currentState: { serviceKeys: await this.keyRotation.state() } } };
      default:
        return failure(new ActionError('UNKNOWN_ACTION', `No action named '${String(command.actionName).slice(0, 64)}'`));
    }
  }

  async execute(command: Command): Promise<CommandResult> {
    const startedAt = performance.now();
    let result: CommandResult;
    try {
      result = { success: true, message: 'done', data: await this.run(command) };
    } catch (error) {
      result = failure(error instanceof ActionError ? error : new ActionError('ACTION_FAILED', 'The action failed; see the service log'));
    }
    const rotation = command.actionName === 'rotateKey' || command.actionName === 'rollbackKey';
    await this.audit.record({
      kind: rotation && result.success ? 'key_rotation' : 'action',
      commandId: command.id,
      action: String(command.actionName).slice(0, 64),
      operatorId: command.createdByUserId ?? null,
      payload: withoutSecrets(command.payload),
      result: (result.success ? result.data : result.error) as Record<string, unknown>,
      success: result.success,
      errorCode: result.error?.code ?? null,
      durationMs: Math.round(performance.now() - startedAt),
    });
    return result;
  }

  private async run(command: Command): Promise<unknown> {
    const definition = this.definitions().find((action) => action.name === command.actionName);
    if (!definition) throw new ActionError('UNKNOWN_ACTION', `No action named '${String(command.actionName).slice(0, 64)}'`);
    if (definition.requiresConfirmation && !command.createdByUserId) {
      throw new ActionError('CONFIRMATION_REQUIRED', `${definition.name} needs an operator's confirmed command; commands without createdByUserId are refused`);
    }
    switch (definition.name) {
      case 'runHealthCheck':
        return this.healthCheck.run(command.payload);
      case 'rotateKey':
        return this.keyRotation.rotate(command.payload, command.createdByUserId!);
      default:
        return this.keyRotation.rollback(command.payload, command.createdByUserId!);
    }
  }
}

function failure(error: ActionError): CommandResult {
  return { success: false, message: error.message, error: { code: error.code, message: error.message } };
}
