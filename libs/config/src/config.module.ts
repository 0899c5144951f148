import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, SecurityEvents, type Clock } from '@app/common';
import { configSlices, type AppConfig } from './app-config.js';

/**
 * Makes each library's configuration slice injectable under its own token (a library sees its slice
 * only), with the clock (CLOCK: Date.now, or a test's) and the process-wide SecurityEvents.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = Date.now): DynamicModule {
    const values = config as unknown as Record<string, unknown>;
    const slices = configSlices().map((slice) => ({ provide: slice.token, useValue: values[slice.name] }));
    return {
      module: ConfigModule,
      providers: [...slices, { provide: CLOCK, useValue: clock }, SecurityEvents],
      exports: [...slices.map((slice) => slice.provide), CLOCK, SecurityEvents],
    };
  }
}
