import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, SecurityEvents, type Clock } from '@app/common';
import { APP_CONFIG, type AppConfig } from './app-config.js';

/**
 * Makes the boot-validated configuration injectable everywhere as APP_CONFIG, with the clock
 * (CLOCK: Date.now, or a test's) and the process-wide SecurityEvents.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = Date.now): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: CLOCK, useValue: clock }, SecurityEvents],
      exports: [APP_CONFIG, CLOCK, SecurityEvents],
    };
  }
}
