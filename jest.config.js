// Native ESM Jest (run with node --experimental-vm-modules) transpiling TypeScript with SWC.
// Decorator metadata is required by Nest's dependency injection and class-validator.
const swcOptions = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const libs = ['auth', 'catalog', 'common', 'config', 'credentials', 'database', 'execution-log', 'identity', 'limits', 'normalization', 'ops-agent', 'providers'];

// @fastify/static (Swagger UI) and jwks-rsa are CommonJS but require ESM-only packages (content-disposition, jose).
// Node 20 loads that with require(esm); Jest's runtime cannot before Node 24.9, so compile that one
// package to CommonJS for the tests.
const requiredEsmPackages = ['content-disposition', 'jose'];
const commonJsOptions = { ...swcOptions, module: { type: 'commonjs' } };

export default {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
    [`node_modules/(${requiredEsmPackages.join('|')})/.+\\.js$`]: ['@swc/jest', commonJsOptions],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${requiredEsmPackages.join('|')})/)`],
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^@app/${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 30000,
  testEnvironment: '<rootDir>/test/support/node-environment.mjs',
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
};
