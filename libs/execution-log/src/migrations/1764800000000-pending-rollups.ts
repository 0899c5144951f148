import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MERGE_PENDING_STATEMENT } from '../rollups/rollup-statement.js';

/**
 * execution_log_rollup_pending: folded hourly rollup rows the writer appends with each batch, merged
 * into both rollup tiers every few seconds (see rollup-statement.ts). The hourly tier's columns,
 * with no key and no index: appending costs the database a heap insert, where upserting both tiers
 * per batch cost an index lookup and a row update per key and tier.
 */
export class PendingRollups1764800000000 implements MigrationInterface {
  name = 'PendingRollups1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "execution_log_rollup_pending" (LIKE "execution_log_rollups" INCLUDING DEFAULTS)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Rows still pending belong in the tiers before their table goes.
    await queryRunner.query(MERGE_PENDING_STATEMENT);
    await queryRunner.query(`DROP TABLE "execution_log_rollup_pending"`);
  }
}
