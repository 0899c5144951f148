export * from './budget-guard.js';
export * from './counter-store.js';
export * from './pricing-table.js';
export * from './limits.module.js';
export * from './memory-counter.store.js';
export * from './rate-limiter.js';
export * from './redis-counter.store.js';
