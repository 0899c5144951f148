import { ROLLUP_TIERS } from '../rollups/rollup-statement.js';
import type { TimeRange } from './time-split.js';

/** Whose rows a reader may see; set by the server from the caller, never from the query string. */
export type ExecutionLogScope = { all: true } | { orgId: string } | { userId: string };

export interface RowFilter {
  scope: ExecutionLogScope;
  userId?: string;
  provider?: string;
  operation?: string;
  success?: boolean;
  /** Raw rows only: rollups have no request ids. */
  requestId?: string;
}

/** The tables a filter applies to: raw rows, and hourly and daily rollups (where success is an outcome). */
export type LogTable = 'execution_logs' | 'execution_log_rollups' | 'execution_log_daily_rollups';

const TIME_COLUMN: Record<LogTable, string> = {
  execution_logs: 'created_at',
  [ROLLUP_TIERS.hourly.table]: ROLLUP_TIERS.hourly.bucket,
  [ROLLUP_TIERS.daily.table]: ROLLUP_TIERS.daily.bucket,
};

/** A table's time column: raw rows' creation time, or a rollup tier's bucket. */
export const timeColumnOf = (table: LogTable): string => TIME_COLUMN[table];

/** A WHERE clause and its positional parameters, for either table, built from a filter and a time range. */
export class Conditions {
  readonly parameters: unknown[] = [];
  private readonly clauses: string[] = [];

  constructor(
    private readonly table: LogTable,
    filter: RowFilter,
    range: TimeRange,
  ) {
    const time = timeColumnOf(table);
    if (range.from) this.compare(time, '>=', range.from.toISOString());
    if (range.to) this.compare(time, '<', range.to.toISOString());
    if ('orgId' in filter.scope) this.compare('org_id', '=', filter.scope.orgId);
    else if ('userId' in filter.scope) this.compare('user_id', '=', filter.scope.userId);
    if (filter.userId !== undefined) this.compare('user_id', '=', filter.userId);
    if (filter.provider !== undefined) this.compare('provider', '=', filter.provider);
    if (filter.operation !== undefined) this.compare('operation', '=', filter.operation);
    if (filter.success !== undefined) this.success(filter.success);
    if (filter.requestId !== undefined) {
      if (table !== 'execution_logs') throw new Error('Rollups cannot be filtered by request id');
      this.compare('request_id', '=', filter.requestId);
    }
  }

  /** ` WHERE …`, or nothing. */
  sql(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }

  private success(success: boolean): void {
    if (this.table === 'execution_logs') this.clauses.push(success ? `"success"` : `NOT "success"`);
    else this.clauses.push(`"outcome" ${success ? '' : 'NOT '}IN ('ok', 'cached')`);
  }

  private compare(column: string, operator: string, value: unknown): void {
    this.parameters.push(value);
    this.clauses.push(`"${column}" ${operator} $${this.parameters.length}`);
  }
}
