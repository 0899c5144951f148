import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExecutionLogs1763800000000 implements MigrationInterface {
  name = 'CreateExecutionLogs1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
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
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_execution_logs" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_user_created" ON "execution_logs" ("user_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_execution_logs_org_created" ON "execution_logs" ("org_id", "created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "execution_logs"`);
  }
}
