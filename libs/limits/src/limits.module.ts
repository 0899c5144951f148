import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { limitsConfig, type LimitsConfig } from './limits.config.js';
import { COUNTER_STORE, type CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter.store.js';
import { BudgetGuard } from './budget-guard.js';
import { CallLimits } from './call-limits.js';
import { PricingTable } from './pricing-table.js';
import { RateLimiter } from './rate-limiter.js';
import { RedisCounterStore } from './redis-counter.store.js';

/** How long boot waits for Redis before serving with limits failing open. */
const REDIS_BOOT_WAIT_MS = 3_000;

@Module({
  imports: [CatalogModule],
  providers: [
    {
      provide: COUNTER_STORE,
      inject: [limitsConfig.token],
      useFactory: (limits: LimitsConfig): CounterStore =>
        limits.redisUrl
          ? new RedisCounterStore(limits.redisUrl, { leaseMs: limits.leaseMs, commandTimeoutMs: limits.redisCommandTimeoutMs })
          : new MemoryCounterStore(),
    },
    RateLimiter,
    BudgetGuard,
    CallLimits,
    PricingTable,
  ],
  exports: [RateLimiter, BudgetGuard, CallLimits, PricingTable, COUNTER_STORE],
})
export class LimitsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(COUNTER_STORE) private readonly store: CounterStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.ready(REDIS_BOOT_WAIT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
