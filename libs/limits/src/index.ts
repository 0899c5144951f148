export { limitsConfig, type Budget, type LimitsConfig, type RateLimit } from './limits.config.js';
export { BudgetGuard, type BudgetHeadroom } from './budget-guard.js';
export { CallLimits } from './call-limits.js';
export { PricingTable, roundUsd } from './pricing-table.js';
export { LimitsModule } from './limits.module.js';
export { RateLimiter, type RateLimitHeadroom } from './rate-limiter.js';
// RedisCounterStore: its scripts are tested against the real Redis (test/redis-counter-store.e2e-spec.ts).
export { GIVE_BACK_RUN_COUNTERS, RedisCounterStore } from './redis-counter.store.js';
export { HOLD_LEASE_TIMES } from './admission-leases.js';
export { COUNTER_STORE, type CounterAdmissions, type CounterStore } from './counter-store.js';
