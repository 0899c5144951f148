import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartitionStatement } from '../partitions/execution-log-partitions.js';
import { rollupUpsert } from '../rollups/rollup-statement.js';

const COLUMNS = `"id", "request_id", "user_id", "org_id", "provider", "operation", "model", "duration_ms", "prompt_tokens",
  "completion_tokens", "total_tokens", "success", "error_code", "error_message", "credential_source", "credential_id",
  "is_proxy", "cached", "created_at"`;

/**
 * execution_logs becomes range-partitioned by day on created_at (retention drops whole days), and
 * execution_log_rollups holds hourly aggregates (usage reads them instead of raw rows). Existing
 * rows are kept: each day they cover gets its partition, and they are folded into the rollups.
 */
export class PartitionExecutionLogs1764500000000 implements MigrationInterface {
  name = 'PartitionExecutionLogs1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "execution_logs" RENAME TO "execution_logs_unpartitioned"`);
    await queryRunner.query(
      `ALTER TABLE "execution_logs_unpartitioned" RENAME CONSTRAINT "pk_execution_logs" TO "pk_execution_logs_unpartitioned"`,
    );
    await queryRunner.query(`ALTER INDEX "idx_execution_logs_user_created" RENAME TO "idx_execution_logs_unpartitioned_user"`);
    await queryRunner.query(`ALTER INDEX "idx_execution_logs_org_created" RENAME TO "idx_execution_logs_unpartitioned_org"`);
    await queryRunner.query(`
      CREATE TABLE "execution_logs" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "request_id" varchar(128) NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "org_id" varchar(128),
        "provider" varchar(64) NOT NULL,
        "operation" varchar(64) NOT NULL,
        "model" varchar(256),
        "duration_ms" integer NOT NULL,
        "prompt_tokens" integer,
        "completion_tokens" integer,
        "total_tokens" integer,
        "success" boolean NOT NULL,
        "error_code" varchar(64),
        "error_message" varchar(1000),
        "credential_source" varchar(16),
        "credential_id" varchar(128),
        "is_proxy" boolean NOT NULL DEFAULT false,
        "cached" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_execution_logs" PRIMARY KEY ("id", "created_at")
      ) PARTITION BY RANGE ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_user_created" ON "execution_logs" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_org_created" ON "execution_logs" ("org_id", "created_at")`);
    const days = (await queryRunner.query(
      `SELECT DISTINCT floor(extract(epoch FROM "created_at") / 86400)::integer AS day FROM "execution_logs_unpartitioned"`,
    )) as Array<{ day: number }>;
    for (const { day } of days) await queryRunner.query(createPartitionStatement(Number(day)));
    await queryRunner.query(`INSERT INTO "execution_logs" (${COLUMNS}) SELECT ${COLUMNS} FROM "execution_logs_unpartitioned"`);
    await queryRunner.query(`DROP TABLE "execution_logs_unpartitioned"`);

    await queryRunner.query(`
      CREATE TABLE "execution_log_rollups" (
        "hour" timestamptz NOT NULL,
        "org_id" varchar(128) NOT NULL,
        "user_id" varchar(128) NOT NULL,
        "provider" varchar(64) NOT NULL,
        "model" varchar(256) NOT NULL,
        "operation" varchar(64) NOT NULL,
        "outcome" varchar(64) NOT NULL,
        "calls" bigint NOT NULL,
        "errors" bigint NOT NULL,
        "prompt_tokens" bigint NOT NULL,
        "completion_tokens" bigint NOT NULL,
        "total_tokens" bigint NOT NULL,
        "duration_ms_sum" bigint NOT NULL,
        "duration_ms_max" integer NOT NULL,
        CONSTRAINT "pk_execution_log_rollups" PRIMARY KEY ("hour", "org_id", "user_id", "provider", "model", "operation", "outcome")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_execution_log_rollups_org_hour" ON "execution_log_rollups" ("org_id", "hour")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_log_rollups_user_hour" ON "execution_log_rollups" ("user_id", "hour")`);
    await queryRunner.query(rollupUpsert('"execution_logs"'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "execution_log_rollups"`);
    await queryRunner.query(`ALTER TABLE "execution_logs" RENAME TO "execution_logs_partitioned"`);
    await queryRunner.query(
      `ALTER TABLE "execution_logs_partitioned" RENAME CONSTRAINT "pk_execution_logs" TO "pk_execution_logs_partitioned"`,
    );
    await queryRunner.query(`ALTER INDEX "idx_execution_logs_user_created" RENAME TO "idx_execution_logs_partitioned_user"`);
    await queryRunner.query(`ALTER INDEX "idx_execution_logs_org_created" RENAME TO "idx_execution_logs_partitioned_org"`);
    await queryRunner.query(`CREATE TABLE "execution_logs" (LIKE "execution_logs_partitioned" INCLUDING DEFAULTS)`);
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD CONSTRAINT "pk_execution_logs" PRIMARY KEY ("id")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_user_created" ON "execution_logs" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_org_created" ON "execution_logs" ("org_id", "created_at")`);
    await queryRunner.query(`INSERT INTO "execution_logs" (${COLUMNS}) SELECT ${COLUMNS} FROM "execution_logs_partitioned"`);
    await queryRunner.query(`DROP TABLE "execution_logs_partitioned"`);
  }
}
