import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SecurityEvents } from '@app/common';
import { APP_CONFIG, type AppConfig } from './app-config.js';

/** Makes the boot-validated configuration injectable everywhere as APP_CONFIG (and the process-wide SecurityEvents). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, SecurityEvents],
      exports: [APP_CONFIG, SecurityEvents],
    };
  }
}
