import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCredentialVault1763800100000 implements MigrationInterface {
  name = 'CreateCredentialVault1763800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stored_credentials" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "scope" varchar(8) NOT NULL,
        "owner_id" varchar(128) NOT NULL,
        "provider" varchar(64) NOT NULL,
        "encrypted_key" text NOT NULL,
        "fingerprint" varchar(32) NOT NULL,
        "created_by" varchar(128) NOT NULL,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "last_used_at" timestamptz,
        CONSTRAINT "pk_stored_credentials" PRIMARY KEY ("id"),
        CONSTRAINT "uq_stored_credentials_owner_provider" UNIQUE ("scope", "owner_id", "provider"),
        CONSTRAINT "ck_stored_credentials_scope" CHECK ("scope" IN ('user', 'org'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "vault_key_check" (
        "id" smallint NOT NULL,
        "check_value" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "pk_vault_key_check" PRIMARY KEY ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "vault_key_check"`);
    await queryRunner.query(`DROP TABLE "stored_credentials"`);
  }
}
