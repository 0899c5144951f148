import { mkdirSync } from 'node:fs';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGliteDriver } from 'typeorm-pglite';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { DatabaseConfig } from './database.config.js';

type Migration = new () => MigrationInterface;

/**
 * PGlite's own start parameters (its defaultStartParams), plus a smaller shared buffer pool: its
 * 128 MB default lives in the process's WebAssembly memory, which never shrinks. With 16 MB the
 * embedded default idles at about 100 MB less (figures in bench/README.md); one process's working
 * set of a service's tables fits easily, and the operating system caches the files anyway.
 */
const PGLITE_START_PARAMETERS = [
  '--single',
  '-F',
  '-O',
  '-j',
  ...['search_path=public', 'exit_on_error=false', 'log_checkpoints=false', 'max_worker_processes=0', 'max_parallel_workers=0']
    .concat(['max_parallel_workers_per_gather=0', 'io_method=sync', 'max_parallel_maintenance_workers=0', 'shared_buffers=16MB'])
    .flatMap((setting) => ['-c', setting]),
];

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
  const driver = new PGliteDriver({
    dataDir: database.dataDir ?? undefined,
    extensions: { pgcrypto },
    startParams: PGLITE_START_PARAMETERS,
  }).driver;
  return { ...common, driver, uuidExtension: 'pgcrypto' };
}
