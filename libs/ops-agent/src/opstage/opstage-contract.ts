/** Wire types of the Opstage agent protocol (shared/contracts/opstage-agent.md). */

export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';

export interface ReportedHealth {
  status: HealthStatus;
  message?: string;
  details?: Record<string, unknown>;
}

export interface ReportedConfig {
  key: string;
  type: string;
  label?: string;
  source?: string;
  editable?: boolean;
  sensitive?: boolean;
  valuePreview?: string | null;
  defaultValue?: string | null;
  /** Where a secret's value lives (`env:NAME`, `file:/path`), reported instead of any value. */
  secretRef?: string;
}

export interface ReportedAction {
  name: string;
  label: string;
  description?: string;
  dangerLevel: 'LOW' | 'MEDIUM' | 'HIGH';
  requiresConfirmation?: boolean;
  inputSchema?: Record<string, unknown>;
  timeoutSeconds?: number;
  category?: string;
  order?: number;
}

export interface ReportedService {
  code: string;
  name: string;
  description?: string;
  version?: string;
  runtime?: 'nodejs';
  manifest: Record<string, unknown>;
  health?: ReportedHealth;
  configs?: ReportedConfig[];
  actions?: ReportedAction[];
}

export interface Intervals {
  heartbeatIntervalSeconds: number;
  commandPollIntervalSeconds: number;
}

export interface Registration extends Intervals {
  agentId: string;
  agentToken: string;
}

export interface Command {
  id: string;
  type: 'ACTION_PREPARE' | 'ACTION_EXECUTE';
  actionName: string;
  payload?: Record<string, unknown> | null;
  createdByUserId?: string | null;
}

export interface CommandResult {
  success: boolean;
  message?: string;
  data?: unknown;
  error?: { code: string; message: string };
}
