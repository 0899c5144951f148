import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { opsAgentConfig, type OpsAgentConfig } from '../ops-agent.config.js';
import { AgentVerdictEntity, type Verdict } from './agent-verdict.entity.js';

export interface StoredVerdict {
  verdict: Verdict;
  reason: string | null;
  decidedAt: Date;
}

/** The persisted verdict of this service (keyed by OPSTAGE_SERVICE_CODE, shared by its replicas). */
@Injectable()
export class AgentVerdictStore {
  private readonly serviceCode: string;

  constructor(
    @InjectRepository(AgentVerdictEntity) private readonly verdicts: Repository<AgentVerdictEntity>,
    @Inject(opsAgentConfig.token) config: OpsAgentConfig,
  ) {
    this.serviceCode = config.opstage?.serviceCode ?? '';
  }

  async load(): Promise<StoredVerdict | null> {
    const row = await this.verdicts.findOneBy({ serviceCode: this.serviceCode });
    return row ? { verdict: row.verdict, reason: row.reason, decidedAt: row.decidedAt } : null;
  }

  async save(verdict: Verdict, reason: string | null): Promise<void> {
    await this.verdicts.upsert(
      { serviceCode: this.serviceCode, verdict, reason, decidedAt: new Date() },
      { conflictPaths: ['serviceCode'] },
    );
  }
}
