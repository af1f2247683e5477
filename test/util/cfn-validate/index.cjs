/**
 * What `@aws/cloudformation-validate` resolves to under jest (moduleNameMapper in jest.config.js): the real package
 * with one validation engine per configuration for the life of the jest worker (shared-engine.cjs), which the test
 * environment (environment.cjs) loads outside the per-file module registry.
 *
 * Why: aws-cdk-lib's built-in CloudFormation validation (on in every example test, as in `cdk synth`) builds its
 * engine on the first synth of each module registry, which costs about 5-8 s of CPU; jest gives every test file a
 * fresh registry, so each example test file paid it again. The checks are the same; only the engine is built once.
 * (A plain `require` here would not do: jest runs this file in the test file's registry, and it also replaces
 * `module.createRequire`.)
 */
module.exports = globalThis.__sharedCfnValidate ?? require('./shared-engine.cjs');
