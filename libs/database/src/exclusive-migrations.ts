import type { DataSource } from 'typeorm';

/** The advisory lock key every replica takes to migrate (an arbitrary constant: "integrations-migrations"). */
const MIGRATION_LOCK = 727_100_001;

/**
 * Runs pending migrations, one process at a time on PostgreSQL: replicas (or test workers) booting
 * together on a fresh database would otherwise apply the same migration twice and fail. The lock is
 * a session-level advisory lock held on its own connection for the duration; PGlite is one process.
 */
export async function runMigrationsExclusively(dataSource: DataSource, shared: boolean): Promise<void> {
  if (!shared) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
