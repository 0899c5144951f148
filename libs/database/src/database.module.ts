import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from './database.config.js';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrationsExclusively } from './exclusive-migrations.js';

export interface DatabaseModuleOptions {
  /** Every context's migrations, composed by the application. */
  migrations: Array<new () => MigrationInterface>;
}

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [databaseConfig.token],
          useFactory: (database: DatabaseConfig) => ({
            ...dataSourceOptions(database, options.migrations),
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 2000,
          }),
          // Migrations under a lock: replicas booting together would otherwise race, and all but one fail and retry.
          dataSourceFactory: async (options?: DataSourceOptions) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              await runMigrationsExclusively(dataSource, 'url' in options! && options.url !== undefined);
            } catch (error) {
              await dataSource.destroy().catch(() => undefined);
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
