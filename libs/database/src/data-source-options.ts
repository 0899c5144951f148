import { mkdirSync } from 'node:fs';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGliteDriver } from 'typeorm-pglite';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { DatabaseConfig } from './database.config.js';

type Migration = new () => MigrationInterface;

/**
 * TypeORM options for either a real PostgreSQL or embedded PGlite (same SQL dialect, so one set of
 * migrations serves both). Schema changes only ever come from migrations, run at boot (one replica at a time).
 */
export function dataSourceOptions(database: DatabaseConfig, migrations: Migration[]): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    migrations,
    // Run by the DatabaseModule after connecting, under a lock (exclusive-migrations.ts).
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Not 'error': TypeORM would print failed queries with their parameters. Callers log failures.
    logging: ['warn' as const, 'migration' as const],
  };
  if (database.kind === 'postgres') {
    return { ...common, url: database.url, connectTimeoutMS: 5000, extra: { max: 10 } };
  }
  if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
  // PGlite needs its pgcrypto contrib for TypeORM's uuid support; without it TypeORM crashes at boot.
  const driver = new PGliteDriver({ dataDir: database.dataDir ?? undefined, extensions: { pgcrypto } }).driver;
  return { ...common, driver, uuidExtension: 'pgcrypto' };
}
