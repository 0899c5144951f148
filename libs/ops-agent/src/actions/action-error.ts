/** A refusal or failure of an action, reported to Opstage as `{success: false, error: {code, message}}`. */
export class ActionError extends Error {
  constructor(
    readonly code:
      | 'UNKNOWN_ACTION'
      | 'INVALID_PAYLOAD'
      | 'CONFIRMATION_REQUIRED'
      | 'KEY_VERIFICATION_FAILED'
      | 'VAULT_DISABLED'
      | 'NO_ROLLBACK_KEY'
      | 'SECRET_REF_UNRESOLVED'
      | 'ACTION_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}
