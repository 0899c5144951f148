import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, type Repository } from 'typeorm';
import { CLOCK, type Clock } from '@app/common';
import { opsAgentConfig, type OpsAgentConfig } from '../ops-agent.config.js';
import type { CommandResult } from '../opstage/opstage-contract.js';
import { OutboxEntryEntity } from './outbox-entry.entity.js';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Results that could not be delivered, kept in the database until Opstage takes them (a command
 * stays RUNNING there until its result arrives or it times out): nothing an operator did is lost to
 * a network blip or a restart.
 */
@Injectable()
export class ResultOutbox {
  private readonly serviceCode: string;
  private readonly now: Clock;

  constructor(
    @InjectRepository(OutboxEntryEntity) private readonly entries: Repository<OutboxEntryEntity>,
    @Inject(opsAgentConfig.token) config: OpsAgentConfig,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.serviceCode = config.opstage?.serviceCode ?? '';
    this.now = clock ?? Date.now;
  }

  async keep(commandId: string, result: CommandResult): Promise<void> {
    const now = new Date(this.now());
    const entry: OutboxEntryEntity = {
      commandId,
      serviceCode: this.serviceCode,
      result,
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + FIRST_RETRY_MS),
      createdAt: now,
    };
    await this.entries.save(entry);
  }

  /** Entries whose next attempt is due, oldest first. */
  due(): Promise<OutboxEntryEntity[]> {
    return this.entries.find({
      where: { serviceCode: this.serviceCode, nextAttemptAt: LessThanOrEqual(new Date(this.now())) },
      order: { createdAt: 'ASC' },
      take: 10,
    });
  }

  async delivered(commandId: string): Promise<void> {
    await this.entries.delete({ commandId });
  }

  /** Another failed attempt: the next one waits twice as long, up to MAX_RETRY_MS. */
  async failedAgain(entry: OutboxEntryEntity): Promise<void> {
    const waitMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** entry.attempts);
    await this.entries.update(
      { commandId: entry.commandId },
      { attempts: entry.attempts + 1, nextAttemptAt: new Date(this.now() + waitMs) },
    );
  }
}
