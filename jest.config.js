/**
 * Jest runs the compiled tests (tsc → dist/) as native ES modules, so the code under test is
 * exactly what `npm start` runs. `npm test` (test/run-tests.mjs) builds first.
 */
const common = {
  testEnvironment: 'node',
  transform: {},
  rootDir: '.',
  roots: ['<rootDir>/dist/test'],
  testTimeout: 120_000,
};
// The api and reliability tiers copy a migrated, seeded template database per test app (test/support/template-db.ts).
const templates = {
  globalSetup: '<rootDir>/dist/test/support/template-setup.js',
  globalTeardown: '<rootDir>/dist/test/support/template-teardown.js',
};
export default {
  testTimeout: 120_000,
  projects: [
    // Plain global objects (see the file): the engine runs at full speed inside the tests.
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/dist/test/unit/**/*.test.js'],
      testEnvironment: '<rootDir>/test/unit/native-environment.mjs',
    },
    { ...common, ...templates, displayName: 'api', testMatch: ['<rootDir>/dist/test/api/**/*.test.js'] },
    {
      ...common,
      ...templates,
      displayName: 'reliability',
      testMatch: ['<rootDir>/dist/test/reliability/**/*.test.js'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/dist/test/browser/**/*.test.js'],
      testEnvironment: '<rootDir>/test/unit/native-environment.mjs',
    },
  ],
};
