import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MigrationInterface } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from './database.config.js';
import { dataSourceOptions } from './data-source-options.js';

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
        }),
      ],
    };
  }
}
