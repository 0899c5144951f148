import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExecutionLogEntity } from './execution-log.entity.js';

/** Whose rows a reader may see; set by the server from the caller, never from the query string. */
export type ExecutionLogScope = { all: true } | { orgId: string } | { userId: string };

export interface ExecutionLogFilter {
  scope: ExecutionLogScope;
  userId?: string;
  provider?: string;
  operation?: string;
  success?: boolean;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export interface ExecutionLogPage {
  items: ExecutionLogEntity[];
  /** Rows matching the filter, counted up to EXECUTION_COUNT_CAP. */
  total: number;
  /** More rows match than were counted: total is a lower bound. */
  totalCapped: boolean;
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

export interface UsageRow {
  userId: string;
  orgId: string | null;
  provider: string;
  model: string | null;
  calls: number;
  failedCalls: number;
  /** Answered from the response cache: counted, never billed. */
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Tokens of the calls that reached the provider: what a cost estimate prices. */
  billed: { promptTokens: number; completionTokens: number };
}

/** Rows matched beyond this are not counted: a page's total stays cheap on a table of millions. */
export const EXECUTION_COUNT_CAP = 10_000;

const HOUR_MS = 3_600_000;

/** Reads execution logs and their rollups, always within the caller's scope. */
@Injectable()
export class ExecutionLogQuery {
  constructor(@InjectRepository(ExecutionLogEntity) private readonly repository: Repository<ExecutionLogEntity>) {}

  /**
   * Calls and tokens per user, org, provider and model in [from, to), within the caller's scope.
   * Whole hours come from the hourly rollups, the partial hours at either end from raw rows, so the
   * answer is what aggregating raw rows gives, at the cost of a few rollup rows per hour.
   */
  async usage(filter: UsageFilter): Promise<UsageRow[]> {
    const firstWholeHour = new Date(Math.ceil(filter.from.getTime() / HOUR_MS) * HOUR_MS);
    const endOfWholeHours = new Date(Math.floor(filter.to.getTime() / HOUR_MS) * HOUR_MS);
    if (firstWholeHour >= endOfWholeHours) return mergeUsage([await this.rawUsage(filter, filter.from, filter.to)]);
    return mergeUsage(
      await Promise.all([
        filter.from < firstWholeHour ? this.rawUsage(filter, filter.from, firstWholeHour) : [],
        this.rollupUsage(filter, firstWholeHour, endOfWholeHours),
        endOfWholeHours < filter.to ? this.rawUsage(filter, endOfWholeHours, filter.to) : [],
      ]),
    );
  }

  /** The same answer from raw rows alone: the reference the rollups are checked against. */
  async usageFromRawRows(filter: UsageFilter): Promise<UsageRow[]> {
    return mergeUsage([await this.rawUsage(filter, filter.from, filter.to)]);
  }

  private rawUsage(filter: UsageFilter, from: Date, to: Date): Promise<UsageRow[]> {
    const where = new Conditions([from.toISOString(), to.toISOString()]);
    where.scope(filter);
    return this.usageRows(
      `SELECT "user_id", "org_id", "provider", "model", count(*) AS calls, count(*) FILTER (WHERE NOT "success") AS failed,
        count(*) FILTER (WHERE "cached") AS cached, sum("prompt_tokens") AS prompt, sum("completion_tokens") AS completion,
        sum("total_tokens") AS total, sum("prompt_tokens") FILTER (WHERE NOT "cached") AS billed_prompt,
        sum("completion_tokens") FILTER (WHERE NOT "cached") AS billed_completion
       FROM "execution_logs" WHERE "created_at" >= $1 AND "created_at" < $2${where.sql()} GROUP BY 1, 2, 3, 4`,
      where.parameters,
    );
  }

  private rollupUsage(filter: UsageFilter, from: Date, to: Date): Promise<UsageRow[]> {
    const where = new Conditions([from.toISOString(), to.toISOString()]);
    where.scope(filter);
    return this.usageRows(
      `SELECT "user_id", NULLIF("org_id", '') AS org_id, "provider", NULLIF("model", '') AS model, sum("calls") AS calls,
        sum("errors") AS failed, sum("calls") FILTER (WHERE "outcome" = 'cached') AS cached, sum("prompt_tokens") AS prompt,
        sum("completion_tokens") AS completion, sum("total_tokens") AS total,
        sum("prompt_tokens") FILTER (WHERE "outcome" <> 'cached') AS billed_prompt,
        sum("completion_tokens") FILTER (WHERE "outcome" <> 'cached') AS billed_completion
       FROM "execution_log_rollups" WHERE "hour" >= $1 AND "hour" < $2${where.sql()} GROUP BY 1, 2, 3, 4`,
      where.parameters,
    );
  }

  private async usageRows(sql: string, parameters: unknown[]): Promise<UsageRow[]> {
    const rows: Array<Record<string, string | null>> = await this.repository.query(sql, parameters);
    return rows.map((row) => ({
      userId: String(row.user_id),
      orgId: row.org_id,
      provider: String(row.provider),
      model: row.model,
      calls: Number(row.calls),
      failedCalls: Number(row.failed),
      cachedCalls: Number(row.cached ?? 0),
      promptTokens: Number(row.prompt ?? 0),
      completionTokens: Number(row.completion ?? 0),
      totalTokens: Number(row.total ?? 0),
      billed: { promptTokens: Number(row.billed_prompt ?? 0), completionTokens: Number(row.billed_completion ?? 0) },
    }));
  }

  async find(filter: ExecutionLogFilter): Promise<ExecutionLogPage> {
    const query = this.repository.createQueryBuilder('log');
    if ('orgId' in filter.scope) query.andWhere('log.orgId = :scopeOrgId', { scopeOrgId: filter.scope.orgId });
    else if ('userId' in filter.scope) query.andWhere('log.userId = :scopeUserId', { scopeUserId: filter.scope.userId });
    if (filter.userId !== undefined) query.andWhere('log.userId = :userId', { userId: filter.userId });
    if (filter.provider !== undefined) query.andWhere('log.provider = :provider', { provider: filter.provider });
    if (filter.operation !== undefined) query.andWhere('log.operation = :operation', { operation: filter.operation });
    if (filter.success !== undefined) query.andWhere('log.success = :success', { success: filter.success });
    if (filter.from !== undefined) query.andWhere('log.createdAt >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('log.createdAt < :to', { to: filter.to });
    const [countSql, countParameters] = query
      .clone()
      .select('1')
      .limit(EXECUTION_COUNT_CAP + 1)
      .getQueryAndParameters();
    const [items, counted] = await Promise.all([
      query.orderBy('log.createdAt', 'DESC').addOrderBy('log.id', 'DESC').limit(filter.limit).offset(filter.offset).getMany(),
      this.repository.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM (${countSql}) AS matched`, countParameters),
    ]);
    const total = Number(counted[0].n);
    return {
      items,
      total: Math.min(total, EXECUTION_COUNT_CAP),
      totalCapped: total > EXECUTION_COUNT_CAP,
      limit: filter.limit,
      offset: filter.offset,
    };
  }
}

/** WHERE conditions after the time range ($1, $2), with their parameters. */
class Conditions {
  private readonly clauses: string[] = [];

  constructor(readonly parameters: unknown[]) {}

  scope(filter: UsageFilter): void {
    if ('orgId' in filter.scope) this.equals('org_id', filter.scope.orgId);
    else if ('userId' in filter.scope) this.equals('user_id', filter.scope.userId);
    if (filter.userId !== undefined) this.equals('user_id', filter.userId);
    if (filter.provider !== undefined) this.equals('provider', filter.provider);
  }

  sql(): string {
    return this.clauses.map((clause) => ` AND ${clause}`).join('');
  }

  private equals(column: string, value: unknown): void {
    this.parameters.push(value);
    this.clauses.push(`"${column}" = $${this.parameters.length}`);
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
    seen.calls += row.calls;
    seen.failedCalls += row.failedCalls;
    seen.cachedCalls += row.cachedCalls;
    seen.promptTokens += row.promptTokens;
    seen.completionTokens += row.completionTokens;
    seen.totalTokens += row.totalTokens;
    seen.billed.promptTokens += row.billed.promptTokens;
    seen.billed.completionTokens += row.billed.completionTokens;
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
