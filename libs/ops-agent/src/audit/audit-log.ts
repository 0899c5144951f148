import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { keyFingerprint } from '@app/common';
import { AuditEntryEntity, type AuditKind } from './audit-entry.entity.js';

export type AuditRecord = Omit<AuditEntryEntity, 'id' | 'createdAt'>;

const SECRET_FIELD = /key|token|secret|password/i;
/** Fields named like secrets that only say where one is (`env:NAME`, `file:/path`): kept as they are. */
const REFERENCE_FIELDS = new Set(['secretRef']);

/** The local audit trail of operator actions, key rotations and config drift. */
@Injectable()
export class AuditLog {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.entries.save(Object.assign(new AuditEntryEntity(), entry, { createdAt: new Date() }));
  }

  async list(filter: { kind?: AuditKind; limit: number; offset: number }): Promise<{ items: AuditEntryEntity[]; total: number }> {
    const [items, total] = await this.entries.findAndCount({
      where: filter.kind ? { kind: filter.kind } : {},
      order: { createdAt: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }
}

/** A payload fit for the audit table: secret-looking string fields become fingerprints. */
export function withoutSecrets(payload: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!payload) return null;
  return Object.fromEntries(
    Object.entries(payload).map(([field, value]) =>
      SECRET_FIELD.test(field) && !REFERENCE_FIELDS.has(field) && typeof value === 'string'
        ? [`${field}Fingerprint`, keyFingerprint(value)]
        : [field, value],
    ),
  );
}
