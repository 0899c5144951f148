import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExecutionLogEntity } from './execution-log.entity.js';
import { ExecutionLogPartitions } from './partitions/execution-log-partitions.js';
import { Conditions, timeColumnOf, type ExecutionLogScope, type LogTable, type RowFilter } from './query/conditions.js';
import { pageWindowStart, type CountedStretch } from './query/page-window.js';
import { splitIntoTiers, type TimeRange } from './query/time-split.js';
import { addUsageSums, RAW_USAGE_SUMS, ROLLUP_USAGE_SUMS, usageSums, type UsageSums } from './query/usage-sums.js';
import { rollupSource, type RollupTier } from './rollups/rollup-statement.js';

export type { ExecutionLogScope } from './query/conditions.js';

type RollupTable = Exclude<LogTable, 'execution_logs'>;
const TIER_OF: Record<RollupTable, RollupTier> = { execution_log_rollups: 'hourly', execution_log_daily_rollups: 'daily' };

export interface ExecutionLogFilter extends RowFilter {
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export interface ExecutionLogPage {
  items: ExecutionLogEntity[];
  /** Rows matching the filter (whole hours counted from the rollups). */
  total: number;
  limit: number;
  offset: number;
}

export interface UsageFilter {
  scope: ExecutionLogScope;
  from: Date;
  to: Date;
  userId?: string;
  provider?: string;
}

export interface UsageRow extends UsageSums {
  userId: string;
  orgId: string | null;
  provider: string;
  model: string | null;
}

/** Reads execution logs and their rollups, always within the caller's scope. */
@Injectable()
export class ExecutionLogQuery {
  constructor(
    @InjectRepository(ExecutionLogEntity) private readonly repository: Repository<ExecutionLogEntity>,
    private readonly partitions: ExecutionLogPartitions,
  ) {}

  /**
   * Calls and tokens per user, org, provider and model in [from, to), within the caller's scope.
   * Whole days come from the daily rollups, whole hours at either end from the hourly ones, the
   * partial hours from raw rows, so the answer is what aggregating raw rows gives, at the cost of a
   * few rollup rows per day.
   */
  async usage(filter: UsageFilter): Promise<UsageRow[]> {
    const split = splitIntoTiers(filter);
    return mergeUsage(
      await Promise.all([
        ...split.raw.map((range) => this.rawUsage(filter, range)),
        ...split.hours.map((range) => this.rollupUsage('execution_log_rollups', filter, range)),
        split.days ? this.rollupUsage('execution_log_daily_rollups', filter, split.days) : [],
      ]),
    );
  }

  /** The same answer from raw rows alone: the reference the rollups are checked against. */
  async usageFromRawRows(filter: UsageFilter): Promise<UsageRow[]> {
    return mergeUsage([await this.rawUsage(filter, filter)]);
  }

  /**
   * One page, newest first, and how many rows match in all. Rows are counted from rollups for whole
   * hours and from raw rows for the partial hours at the ends, so counting an org's month costs a few
   * hundred rollup rows rather than a scan of its million raw rows; the same counts tell how far back
   * the page reaches, so the page's own query reads only that stretch even when matching rows are rare.
   * Without a start, counting begins at the oldest day raw rows are kept for (rollups outlive them).
   */
  async find(filter: ExecutionLogFilter): Promise<ExecutionLogPage> {
    const stretches = await this.countedStretches(filter);
    const total = stretches.reduce((sum, stretch) => sum + stretch.count, 0);
    if (filter.offset >= total) return { items: [], total, limit: filter.limit, offset: filter.offset };
    const windowStart = pageWindowStart(stretches, filter.offset + filter.limit);
    const from = windowStart && (!filter.from || windowStart > filter.from) ? windowStart : filter.from;
    const where = new Conditions('execution_logs', filter, { from, to: filter.to });
    const columns = this.repository.metadata.columns.map((column) => `"${column.databaseName}" AS "${column.propertyName}"`).join(', ');
    const parameters = [...where.parameters, filter.limit, filter.offset];
    const items = await this.repository.query<ExecutionLogEntity[]>(
      `SELECT ${columns} FROM "execution_logs"${where.sql()} ORDER BY "created_at" DESC, "id" DESC ` +
        `LIMIT $${parameters.length - 1} OFFSET $${parameters.length}`,
      parameters,
    );
    return { items, total, limit: filter.limit, offset: filter.offset };
  }

  /**
   * Matching rows per stretch of time, newest first: the partial end hours from raw rows, whole
   * hours from hourly rollups, whole days from daily ones.
   */
  private async countedStretches(filter: ExecutionLogFilter): Promise<CountedStretch[]> {
    if (filter.requestId !== undefined) return [{ from: filter.from, count: await this.countRaw(filter, filter) }];
    const from = filter.from ?? this.partitions.oldestKeptDayStart() ?? undefined;
    const split = splitIntoTiers({ from, to: filter.to });
    const counted = await Promise.all([
      split.days ? this.countPerBucket('execution_log_daily_rollups', filter, split.days) : [],
      ...split.hours.map((range) => this.countPerBucket('execution_log_rollups', filter, range)),
      ...split.raw.map(async (range) => [{ from: range.from, count: await this.countRaw(filter, range) }]),
    ]);
    return counted.flat().sort((a, b) => (b.from?.getTime() ?? -Infinity) - (a.from?.getTime() ?? -Infinity));
  }

  private async countPerBucket(table: RollupTable, filter: RowFilter, range: TimeRange): Promise<CountedStretch[]> {
    const where = new Conditions(table, filter, range);
    const bucket = timeColumnOf(table);
    const rows = await this.repository.query<Array<{ bucket: Date; n: string }>>(
      `SELECT "${bucket}" AS bucket, sum("calls") AS n FROM ${rollupSource(TIER_OF[table])}${where.sql()} GROUP BY 1`,
      where.parameters,
    );
    return rows.map((row) => ({ from: row.bucket, count: Number(row.n) }));
  }

  private async countRaw(filter: RowFilter, range: TimeRange): Promise<number> {
    const where = new Conditions('execution_logs', filter, range);
    const [row] = await this.repository.query<Array<{ n: string | null }>>(
      `SELECT count(*) AS n FROM "execution_logs"${where.sql()}`,
      where.parameters,
    );
    return Number(row?.n ?? 0);
  }

  private rawUsage(filter: UsageFilter, range: TimeRange): Promise<UsageRow[]> {
    const where = new Conditions('execution_logs', filter, range);
    return this.usageRows(
      `SELECT "user_id", "org_id", "provider", "model", ${RAW_USAGE_SUMS}
       FROM "execution_logs"${where.sql()} GROUP BY 1, 2, 3, 4`,
      where.parameters,
    );
  }

  private rollupUsage(table: RollupTable, filter: UsageFilter, range: TimeRange): Promise<UsageRow[]> {
    const where = new Conditions(table, filter, range);
    // Grouped on the plain columns ('' → null afterwards), which the planner has statistics for.
    return this.usageRows(
      `SELECT "user_id", NULLIF("org_id", '') AS org_id, "provider", NULLIF("model", '') AS model, calls, failed, cached, prompt,
        completion, total, billed_prompt, billed_completion
       FROM (SELECT "user_id", "org_id", "provider", "model", ${ROLLUP_USAGE_SUMS}
        FROM ${rollupSource(TIER_OF[table])}${where.sql()} GROUP BY 1, 2, 3, 4) AS grouped`,
      where.parameters,
    );
  }

  private async usageRows(sql: string, parameters: unknown[]): Promise<UsageRow[]> {
    const rows = await this.repository.query<Array<Record<string, string | null>>>(sql, parameters);
    return rows.map((row) => ({
      userId: String(row.user_id),
      orgId: row.org_id,
      provider: String(row.provider),
      model: row.model,
      ...usageSums(row),
    }));
  }
}

/** Adds up rows of the same user, org, provider and model; ordered by user, provider, model. */
function mergeUsage(parts: UsageRow[][]): UsageRow[] {
  const merged = new Map<string, UsageRow>();
  for (const row of parts.flat()) {
    const key = JSON.stringify([row.userId, row.orgId, row.provider, row.model]);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...row, billed: { ...row.billed } });
      continue;
    }
    addUsageSums(seen, row);
  }
  return [...merged.values()].sort(
    (a, b) =>
      compare(a.userId, b.userId) ||
      compare(a.provider, b.provider) ||
      compare(a.model ?? '', b.model ?? '') ||
      compare(a.orgId ?? '', b.orgId ?? ''),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
