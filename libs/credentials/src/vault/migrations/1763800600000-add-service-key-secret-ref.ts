import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where an operator's rotated service key came from (`env:NAME`, `file:/path`): shown to operators instead of any value. */
export class AddServiceKeySecretRef1763800600000 implements MigrationInterface {
  name = 'AddServiceKeySecretRef1763800600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stored_credentials" ADD COLUMN "secret_ref" varchar(300)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stored_credentials" DROP COLUMN "secret_ref"`);
  }
}
