/**
 * The jest test environment of this project: Node's, plus `@aws/cloudformation-validate` with a shared engine
 * (shared-engine.cjs) handed to the test files. This module is loaded by the jest worker itself, not by a test
 * file's module registry, so the engine it holds is built once per worker and serves every test file the worker runs.
 */
const { TestEnvironment } = require('jest-environment-node');

class ProjectEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // Loaded on first use only: most test files never validate a template.
    Object.defineProperty(this.global, '__sharedCfnValidate', { get: () => require('./shared-engine.cjs') });
  }
}

module.exports = ProjectEnvironment;
