export * from './auth.module.js';
export * from './caller.js';
export * from './current-caller.decorator.js';
export * from './public.decorator.js';
export * from './require-roles.decorator.js';
