/**
 * Jest runs TypeScript through esbuild, file by file (test/util/esbuild-transform.cjs; isolatedModules in
 * tsconfig.json): `npm test` (scripts/test.cjs) type-checks the whole project once with `tsc --noEmit` while
 * jest runs, so jest does not type-check every file again in every worker.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // jest's runtime, with aws-cdk-lib, constructs, cdk-nag and the IAM simulator loaded once per worker instead of once
  // per test file (see the file): about a third of the suite's CPU.
  runtime: '<rootDir>/test/util/shared-modules-runtime.cjs',
  roots: ['<rootDir>/test', '<rootDir>/lib'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': '<rootDir>/test/util/esbuild-transform.cjs',
  },
  moduleNameMapper: {
    '^cdk-analytics-blueprints$': '<rootDir>/lib/index.ts',
  },
  snapshotSerializers: ['<rootDir>/test/util/snapshot-serializer.ts'],
  testTimeout: 60000,
  // One worker per core: jest's default (cores - 1) runs the whole suite in one process on a 2-core machine.
  maxWorkers: '100%',
  // One temporary folder per run (TMPDIR), removed at the end: synths leave no cdk.out* folders behind.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Never write snapshots in CI: a missing snapshot is a failure, not a new file.
  ci: true,
};
