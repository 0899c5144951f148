import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartitionStatement } from '../partitions/execution-log-partitions.js';

const COLUMNS = `"id", "request_id", "user_id", "org_id", "provider", "operation", "model", "duration_ms", "prompt_tokens",
  "completion_tokens", "total_tokens", "success", "error_code", "error_message", "credential_source", "credential_id",
  "is_proxy", "cached", "created_at"`;

/**
 * Existing rows folded into rollups, as rollups were defined by this migration (a migration keeps
 * its own SQL: the live statement may name columns later migrations add).
 */
const FILL_ROLLUPS = `
  INSERT INTO "execution_log_rollups" ("hour", "org_id", "user_id", "provider", "model", "operation", "outcome", "calls", "errors",
    "prompt_tokens", "completion_tokens", "total_tokens", "duration_ms_sum", "duration_ms_max", "duration_ms_le_100",
    "duration_ms_le_250", "duration_ms_le_500", "duration_ms_le_1000", "duration_ms_le_2500", "duration_ms_le_5000",
    "duration_ms_le_10000", "duration_ms_le_30000")
  SELECT date_trunc('hour', "created_at", 'UTC'), COALESCE("org_id", ''), "user_id", "provider", COALESCE("model", ''), "operation",
    CASE WHEN "cached" THEN 'cached' WHEN "success" THEN 'ok' ELSE COALESCE("error_code", 'error') END,
    count(*), count(*) FILTER (WHERE NOT "success"), COALESCE(sum("prompt_tokens"), 0), COALESCE(sum("completion_tokens"), 0),
    COALESCE(sum("total_tokens"), 0), sum("duration_ms"), max("duration_ms"),
    count(*) FILTER (WHERE "duration_ms" <= 100), count(*) FILTER (WHERE "duration_ms" > 100 AND "duration_ms" <= 250),
    count(*) FILTER (WHERE "duration_ms" > 250 AND "duration_ms" <= 500), count(*) FILTER (WHERE "duration_ms" > 500 AND "duration_ms" <= 1000),
    count(*) FILTER (WHERE "duration_ms" > 1000 AND "duration_ms" <= 2500), count(*) FILTER (WHERE "duration_ms" > 2500 AND "duration_ms" <= 5000),
    count(*) FILTER (WHERE "duration_ms" > 5000 AND "duration_ms" <= 10000), count(*) FILTER (WHERE "duration_ms" > 10000 AND "duration_ms" <= 30000)
  FROM "execution_logs" GROUP BY 1, 2, 3, 4, 5, 6, 7`;

/**
 * execution_logs becomes range-partitioned by day on created_at (retention drops whole days), and
 * execution_log_rollups holds hourly aggregates (usage reads them instead of raw rows); rows gain
 * upstream_ms (time waiting on the provider, for the gateway's overhead). Existing
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
        "upstream_ms" integer,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_execution_logs" PRIMARY KEY ("id", "created_at")
      ) PARTITION BY RANGE ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_user_created" ON "execution_logs" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_org_created" ON "execution_logs" ("org_id", "created_at")`);
    // Failed calls are a few percent of rows: small partial indexes list the latest ones at any scope.
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_failed_created" ON "execution_logs" ("created_at") WHERE NOT "success"`);
    await queryRunner.query(
      `CREATE INDEX "idx_execution_logs_failed_org_created" ON "execution_logs" ("org_id", "created_at") WHERE NOT "success"`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_execution_logs_failed_user_created" ON "execution_logs" ("user_id", "created_at") WHERE NOT "success"`,
    );
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
        "overhead_ms_sum" bigint NOT NULL DEFAULT 0,
        "overhead_calls" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_100" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_250" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_500" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_1000" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_2500" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_5000" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_10000" bigint NOT NULL DEFAULT 0,
        "duration_ms_le_30000" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "pk_execution_log_rollups" PRIMARY KEY ("hour", "org_id", "user_id", "provider", "model", "operation", "outcome")
      ) WITH (fillfactor = 70)`); // room in each page for the writer's upserts to be HOT updates
    // Covering what /executions counts by (every filter and the calls), so its per-hour counts are index-only scans.
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_rollups_org_hour" ON "execution_log_rollups" ("org_id", "hour") INCLUDE ("user_id", "provider", "operation", "outcome", "calls")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_execution_log_rollups_user_hour" ON "execution_log_rollups" ("user_id", "hour") INCLUDE ("provider", "operation", "outcome", "calls")`,
    );
    // Users belong to few orgs and use few models: without this the planner expects a group per row
    // and sorts (spilling to disk) where a hash aggregate over a handful of groups is what happens.
    await queryRunner.query(
      `CREATE STATISTICS "stat_execution_log_rollups_groups" (ndistinct) ON "org_id", "user_id", "provider", "model" FROM "execution_log_rollups"`,
    );
    await queryRunner.query(FILL_ROLLUPS);
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
    await queryRunner.query(`ALTER TABLE "execution_logs" DROP COLUMN "upstream_ms"`);
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD CONSTRAINT "pk_execution_logs" PRIMARY KEY ("id")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_user_created" ON "execution_logs" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_org_created" ON "execution_logs" ("org_id", "created_at")`);
    await queryRunner.query(`INSERT INTO "execution_logs" (${COLUMNS}) SELECT ${COLUMNS} FROM "execution_logs_partitioned"`);
    await queryRunner.query(`DROP TABLE "execution_logs_partitioned"`);
  }
}
