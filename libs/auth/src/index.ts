export * from './caller.js';
export * from './current-caller.decorator.js';
export * from './header-caller.guard.js';
