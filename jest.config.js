/**
 * Jest runs the compiled tests (tsc → dist/) as native ES modules, so the code under test is
 * exactly what `npm start` runs. `npm test` (test/run-tests.mjs) builds first.
 */
const common = { testEnvironment: 'node', transform: {}, rootDir: '.', roots: ['<rootDir>/dist/test'], testTimeout: 120_000 };
export default {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/dist/test/unit/**/*.test.js'] },
    { ...common, displayName: 'api', testMatch: ['<rootDir>/dist/test/api/**/*.test.js'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/dist/test/reliability/**/*.test.js'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/dist/test/browser/**/*.test.js'] },
  ],
};
