import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which credential served each call (never the key): source, the source's id, and org-key proxying. */
export class AddCredentialColumns1763800200000 implements MigrationInterface {
  name = 'AddCredentialColumns1763800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD COLUMN "credential_source" varchar(16)`);
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD COLUMN "credential_id" varchar(128)`);
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD COLUMN "is_proxy" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "execution_logs" DROP COLUMN "is_proxy"`);
    await queryRunner.query(`ALTER TABLE "execution_logs" DROP COLUMN "credential_id"`);
    await queryRunner.query(`ALTER TABLE "execution_logs" DROP COLUMN "credential_source"`);
  }
}
