export { BudgetGuard } from './budget-guard.js';
export { PricingTable, roundUsd } from './pricing-table.js';
export { LimitsModule } from './limits.module.js';
export { RateLimiter } from './rate-limiter.js';
