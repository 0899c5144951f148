import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * vault_generation: one counter, raised by the database itself (a statement trigger) whenever a
 * stored key is added, removed or changed, by any replica or by hand. A replica then learns
 * whether any vault answer it holds may be stale with one one-row read per
 * VAULT_CREDENTIAL_CACHE_TTL_MS, instead of reading every caller's key again that often.
 */
export class VaultGeneration1764700000000 implements MigrationInterface {
  name = 'VaultGeneration1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "vault_generation" ("id" integer PRIMARY KEY CHECK ("id" = 1), "generation" bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO "vault_generation" ("id", "generation") VALUES (1, 0)`);
    await queryRunner.query(`
      CREATE FUNCTION "bump_vault_generation"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "vault_generation" SET "generation" = "generation" + 1 WHERE "id" = 1;
        RETURN NULL;
      END $$`);
    // Not on last_used_at: recording use (at most once a minute a key) changes no answer.
    await queryRunner.query(`
      CREATE TRIGGER "trg_stored_credentials_generation"
      AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "scope", "owner_id", "provider", "encrypted_key",
        "previous_encrypted_key", "previous_valid_until", "secret_ref"
      ON "stored_credentials" FOR EACH STATEMENT EXECUTE FUNCTION "bump_vault_generation"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_stored_credentials_generation" ON "stored_credentials"`);
    await queryRunner.query(`DROP FUNCTION "bump_vault_generation"()`);
    await queryRunner.query(`DROP TABLE "vault_generation"`);
  }
}
