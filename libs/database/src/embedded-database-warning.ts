import type { DatabaseConfig } from './database.config.js';

/**
 * What to tell the operator at boot about the database they chose, or null. `DATABASE_URL=memory`
 * keeps every table in this process's memory: the execution log alone grows with every call until
 * retention drops whole days, so it suits tests and demos, not a service left running.
 */
export function embeddedDatabaseWarning(database: DatabaseConfig, retentionDays: number): string | null {
  if (database.kind !== 'pglite' || database.dataDir !== null) return null;
  const bound =
    retentionDays === 0
      ? 'without bound (EXECUTION_LOG_RETENTION_DAYS=0 keeps every row)'
      : `until EXECUTION_LOG_RETENTION_DAYS (${retentionDays}) drops whole days`;
  return (
    `DATABASE_URL=memory keeps the execution log, vault and audit log in this process's memory, lost at exit; ` +
    `memory grows by about 1 KB per call ${bound}. Use it for tests and demos; set DATABASE_URL to PostgreSQL, ` +
    `or leave it unset for the embedded database on disk, for anything that runs for long.`
  );
}
