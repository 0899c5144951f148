import type { MigrationInterface, QueryRunner } from 'typeorm';

const SUMMED = `"calls", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "duration_ms_sum", "overhead_ms_sum",
  "overhead_calls", "duration_ms_le_100", "duration_ms_le_250", "duration_ms_le_500", "duration_ms_le_1000", "duration_ms_le_2500",
  "duration_ms_le_5000", "duration_ms_le_10000", "duration_ms_le_30000"`;
const KEY = `"org_id", "user_id", "provider", "model", "operation", "outcome"`;

/**
 * execution_log_daily_rollups: the hourly rollups' columns per UTC day, so a month of usage reads
 * about 30 rows per key instead of 720. Filled from the hourly rollups already there; the writer
 * adds every batch to both tiers from then on.
 *
 * The rollups' secondary indexes no longer include `calls`: with it, every upsert changed an
 * indexed column and so wrote new entries in all three indexes; without it an upsert is a HOT
 * update of one heap page (fillfactor 70 leaves the room). Counting from the daily tier reads few
 * enough rows that the heap visits cost less than the writes saved.
 */
export class DailyRollups1764600000000 implements MigrationInterface {
  name = 'DailyRollups1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The hourly tier's columns (sums, histogram, defaults and NOT NULLs), bucketed by day instead of hour.
    await queryRunner.query(
      `CREATE TABLE "execution_log_daily_rollups" (LIKE "execution_log_rollups" INCLUDING DEFAULTS) WITH (fillfactor = 70)`,
    );
    await queryRunner.query(`ALTER TABLE "execution_log_daily_rollups" RENAME COLUMN "hour" TO "day"`);
    await queryRunner.query(
      `ALTER TABLE "execution_log_daily_rollups" ADD CONSTRAINT "pk_execution_log_daily_rollups" PRIMARY KEY ("day", ${KEY})`,
    );
    // The filters' columns ride along, so rows of other users, providers or outcomes are skipped in the index.
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_daily_rollups_org_day" ON "execution_log_daily_rollups" ("org_id", "day") ` +
        `INCLUDE ("user_id", "provider", "model", "operation", "outcome")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_daily_rollups_user_day" ON "execution_log_daily_rollups" ("user_id", "day") ` +
        `INCLUDE ("provider", "operation", "outcome")`,
    );
    await this.hourlyIndexes(queryRunner, '');
    await queryRunner.query(
      `CREATE STATISTICS "stat_execution_log_daily_rollups_groups" (ndistinct) ON "org_id", "user_id", "provider", "model" FROM "execution_log_daily_rollups"`,
    );
    await queryRunner.query(`
      INSERT INTO "execution_log_daily_rollups" ("day", ${KEY}, ${SUMMED}, "duration_ms_max")
      SELECT date_trunc('day', "hour", 'UTC'), ${KEY}, ${SUMMED.split(',')
        .map((column) => `sum(${column.trim()})`)
        .join(', ')}, max("duration_ms_max")
      FROM "execution_log_rollups" GROUP BY 1, 2, 3, 4, 5, 6, 7`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "execution_log_daily_rollups"`);
    await this.hourlyIndexes(queryRunner, ', "calls"');
  }

  private async hourlyIndexes(queryRunner: QueryRunner, calls: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_execution_log_rollups_org_hour", "idx_execution_log_rollups_user_hour"`);
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_rollups_org_hour" ON "execution_log_rollups" ("org_id", "hour") INCLUDE ("user_id", "provider", "operation", "outcome"${calls})`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_rollups_user_hour" ON "execution_log_rollups" ("user_id", "hour") INCLUDE ("provider", "operation", "outcome"${calls})`,
    );
  }
}
