import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether the answer came from the response cache (no upstream call, no cost). */
export class AddCachedColumn1763800700000 implements MigrationInterface {
  name = 'AddCachedColumn1763800700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "execution_logs" ADD COLUMN "cached" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "execution_logs" DROP COLUMN "cached"`);
  }
}
