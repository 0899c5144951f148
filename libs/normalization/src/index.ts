export * from './finish-reason.js';
export * from './normalized-response.js';
export * from './usage.js';
