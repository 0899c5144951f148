import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What must survive a restart of the agent: the control plane's last verdict on this service
 * (enabled, disabled, revoked), and results of operator actions not yet delivered to Opstage.
 */
export class AddAgentVerdictAndOutbox1763800500000 implements MigrationInterface {
  name = 'AddAgentVerdictAndOutbox1763800500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ops_agent_verdict" (
        "service_code" varchar(80) NOT NULL,
        "verdict" varchar(16) NOT NULL,
        "reason" varchar(64),
        "decided_at" timestamptz NOT NULL,
        CONSTRAINT "pk_ops_agent_verdict" PRIMARY KEY ("service_code"),
        CONSTRAINT "ck_ops_agent_verdict" CHECK ("verdict" IN ('enabled', 'disabled', 'revoked'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "ops_result_outbox" (
        "command_id" varchar(128) NOT NULL,
        "service_code" varchar(80) NOT NULL,
        "result" jsonb NOT NULL,
        "attempts" integer NOT NULL,
        "next_attempt_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_ops_result_outbox" PRIMARY KEY ("command_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ops_result_outbox"`);
    await queryRunner.query(`DROP TABLE "ops_agent_verdict"`);
  }
}
