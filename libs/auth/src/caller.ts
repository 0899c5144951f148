/** Who is calling: the user the gateway acts for and, when known, their organization. */
export interface Caller {
  userId: string;
  orgId?: string;
}

/** Where guards attach the authenticated caller on the request. */
export const CALLER_KEY = 'caller';
