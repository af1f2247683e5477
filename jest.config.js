/**
 * Jest runs TypeScript through ts-jest in transpile-only mode (isolatedModules in tsconfig.json):
 * `npm test` type-checks the whole project once with `tsc --noEmit` before jest starts, so jest
 * does not type-check every file again in every worker.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/lib'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^cdk-analytics-blueprints$': '<rootDir>/lib/index.ts',
  },
  snapshotSerializers: ['<rootDir>/test/util/snapshot-serializer.ts'],
  testTimeout: 60000,
  // One temporary folder per run (TMPDIR), removed at the end: synths leave no cdk.out* folders behind.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Never write snapshots in CI: a missing snapshot is a failure, not a new file.
  ci: true,
};
