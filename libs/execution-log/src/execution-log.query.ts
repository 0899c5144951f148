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

/** Reads execution logs, newest first, always within the caller's scope. */
@Injectable()
export class ExecutionLogQuery {
  constructor(@InjectRepository(ExecutionLogEntity) private readonly repository: Repository<ExecutionLogEntity>) {}

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
