import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExecutionLogEntity } from './execution-log.entity.js';

export interface ExecutionLogFilter {
  /** Visibility scope, set by the server from the caller, never from the query string. */
  scope: { orgId: string } | { userId: string };
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
  total: number;
  limit: number;
  offset: number;
}

export interface UsageFilter {
  scope: { orgId: string } | { userId: string };
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
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Reads execution logs, newest first, always within the caller's scope. */
@Injectable()
export class ExecutionLogQuery {
  constructor(@InjectRepository(ExecutionLogEntity) private readonly repository: Repository<ExecutionLogEntity>) {}

  /** Calls and tokens per user, org, provider and model in [from, to), within the caller's scope. */
  async usage(filter: UsageFilter): Promise<UsageRow[]> {
    const query = this.repository
      .createQueryBuilder('log')
      .select('log.userId', 'userId')
      .addSelect('log.orgId', 'orgId')
      .addSelect('log.provider', 'provider')
      .addSelect('log.model', 'model')
      .addSelect('COUNT(*)', 'calls')
      .addSelect('SUM(CASE WHEN log.success THEN 0 ELSE 1 END)', 'failedCalls')
      .addSelect('COALESCE(SUM(log.promptTokens), 0)', 'promptTokens')
      .addSelect('COALESCE(SUM(log.completionTokens), 0)', 'completionTokens')
      .addSelect('COALESCE(SUM(log.totalTokens), 0)', 'totalTokens')
      .where('log.createdAt >= :from AND log.createdAt < :to', { from: filter.from, to: filter.to });
    if ('orgId' in filter.scope) query.andWhere('log.orgId = :scopeOrgId', { scopeOrgId: filter.scope.orgId });
    else query.andWhere('log.userId = :scopeUserId', { scopeUserId: filter.scope.userId });
    if (filter.userId !== undefined) query.andWhere('log.userId = :userId', { userId: filter.userId });
    if (filter.provider !== undefined) query.andWhere('log.provider = :provider', { provider: filter.provider });
    const rows = await query
      .groupBy('log.userId')
      .addGroupBy('log.orgId')
      .addGroupBy('log.provider')
      .addGroupBy('log.model')
      .orderBy('log.userId')
      .addOrderBy('log.provider')
      .addOrderBy('log.model')
      .getRawMany<Record<string, unknown>>();
    return rows.map((row) => ({
      userId: String(row.userId),
      orgId: (row.orgId as string | null) ?? null,
      provider: String(row.provider),
      model: (row.model as string | null) ?? null,
      calls: Number(row.calls),
      failedCalls: Number(row.failedCalls),
      promptTokens: Number(row.promptTokens),
      completionTokens: Number(row.completionTokens),
      totalTokens: Number(row.totalTokens),
    }));
  }

  async find(filter: ExecutionLogFilter): Promise<ExecutionLogPage> {
    const query = this.repository.createQueryBuilder('log');
    if ('orgId' in filter.scope) query.andWhere('log.orgId = :scopeOrgId', { scopeOrgId: filter.scope.orgId });
    else query.andWhere('log.userId = :scopeUserId', { scopeUserId: filter.scope.userId });
    if (filter.userId !== undefined) query.andWhere('log.userId = :userId', { userId: filter.userId });
    if (filter.provider !== undefined) query.andWhere('log.provider = :provider', { provider: filter.provider });
    if (filter.operation !== undefined) query.andWhere('log.operation = :operation', { operation: filter.operation });
    if (filter.success !== undefined) query.andWhere('log.success = :success', { success: filter.success });
    if (filter.from !== undefined) query.andWhere('log.createdAt >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('log.createdAt < :to', { to: filter.to });
    const [items, total] = await query
      .orderBy('log.createdAt', 'DESC')
      .addOrderBy('log.id', 'DESC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items, total, limit: filter.limit, offset: filter.offset };
  }
}
