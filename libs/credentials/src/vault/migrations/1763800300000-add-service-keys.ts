import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service-level keys (scope 'service', rotated by operators through Opstage) with the previous key
 * kept, encrypted, for rollback during a grace period.
 */
export class AddServiceKeys1763800300000 implements MigrationInterface {
  name = 'AddServiceKeys1763800300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP CONSTRAINT "ck_stored_credentials_scope"`);
    await queryRunner.query(
      `ALTER TABLE "stored_credentials" ADD CONSTRAINT "ck_stored_credentials_scope" CHECK ("scope" IN ('user', 'org', 'service'))`,
    );
    await queryRunner.query(`ALTER TABLE "stored_credentials" ADD COLUMN "previous_encrypted_key" text`);
    await queryRunner.query(`ALTER TABLE "stored_credentials" ADD COLUMN "previous_fingerprint" varchar(32)`);
    await queryRunner.query(`ALTER TABLE "stored_credentials" ADD COLUMN "previous_valid_until" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP COLUMN "previous_valid_until"`);
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP COLUMN "previous_fingerprint"`);
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP COLUMN "previous_encrypted_key"`);
    await queryRunner.query(`DELETE FROM "stored_credentials" WHERE "scope" = 'service'`);
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP CONSTRAINT "ck_stored_credentials_scope"`);
    await queryRunner.query(
      `ALTER TABLE "stored_credentials" ADD CONSTRAINT "ck_stored_credentials_scope" CHECK ("scope" IN ('user', 'org'))`,
    );
  }
}
