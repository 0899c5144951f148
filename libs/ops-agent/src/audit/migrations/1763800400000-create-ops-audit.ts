import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOpsAudit1763800400000 implements MigrationInterface {
  name = 'CreateOpsAudit1763800400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ops_audit_entries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kind" varchar(24) NOT NULL,
        "command_id" varchar(128),
        "action" varchar(64),
        "operator_id" varchar(128),
        "payload" jsonb,
        "result" jsonb,
        "success" boolean NOT NULL,
        "error_code" varchar(64),
        "duration_ms" integer,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_ops_audit_entries" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_ops_audit_created" ON "ops_audit_entries" ("created_at")`);
    await queryRunner.query(`
      CREATE TABLE "ops_config_state" (
        "id" smallint NOT NULL,
        "snapshot" jsonb NOT NULL,
        "revision" integer NOT NULL,
        "last_drift_at" timestamptz,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "pk_ops_config_state" PRIMARY KEY ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ops_config_state"`);
    await queryRunner.query(`DROP TABLE "ops_audit_entries"`);
  }
}
