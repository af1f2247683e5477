/**
 * Jest config of the integration test snapshot check (`npx jest -c jest.integ.config.js`): it synthesizes
 * every integ-runner test app (`test/integ.*.ts`) and compares its templates with the committed snapshots,
 * without deploying. It runs beside `npm test` in CI, not inside it. Same transform and serializer as
 * jest.config.js.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/integ/**/*.integ.ts'],
};
