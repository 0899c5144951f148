export { databaseConfig, type DatabaseConfig } from './database.config.js';
export { DatabaseModule } from './database.module.js';
// The benchmark (bench/run.mjs) builds its own data source for the writer's rows/s.
export { dataSourceOptions } from './data-source-options.js';
export { embeddedDatabaseWarning } from './embedded-database-warning.js';
