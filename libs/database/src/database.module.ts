import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MigrationInterface } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
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
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.database, options.migrations),
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 2000,
          }),
        }),
      ],
    };
  }
}
