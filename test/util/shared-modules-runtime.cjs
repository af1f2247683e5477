/**
 * The jest runtime of this project (`runtime` in jest.config.js): jest's own, except that aws-cdk-lib, constructs,
 * cdk-nag and the IAM simulator (@cloud-copilot/iam-*) are loaded with Node's `require`, once per jest worker, instead
 * of once per test file.
 *
 * Why: jest gives every test file a fresh module registry, so each of the ~90 test files read, compiled and ran
 * aws-cdk-lib's modules again (the L1 modules alone are megabytes of JavaScript), and built aws-cdk-lib's CloudFormation
 * validation engine again: about a third of the suite's CPU. These packages are the app's dependencies, not the code
 * under test; a user's app loads them once and synthesizes many stacks with them, and now so does a jest worker.
 * The code under test (lib/, examples/, bin/) and everything else still loads in each test file's own registry.
 *
 * What this asks of the tests: they must not patch these packages' classes or prototypes (a `jest.spyOn` on an
 * instance is fine), since a patch would outlive the test file in the worker. jest's realm is not the packages'
 * realm, and nothing in the suite depends on it: aws-cdk-lib identifies its objects by symbols, not `instanceof`.
 * aws-cdk-lib keeps its CloudFormation validation engine for the life of the process, so it is built once per worker
 * too (this replaces the shared engine the test environment used to hand to each test file).
 */
const Runtime = require('jest-runtime').default;
const Module = require('module');
const path = require('path');

const SHARED = /^(aws-cdk-lib|constructs|cdk-nag|@cloud-copilot\/iam-[a-z]+)(\/|$)/;
// Resolved from the checkout, so that the floor check's copy (scripts/floor-check.sh) loads its own aws-cdk-lib.
const nodeRequire = Module.createRequire(path.join(__dirname, '..', '..', 'package.json'));

class SharedModulesRuntime extends Runtime {
  requireModuleOrMock(from, moduleName) {
    if (SHARED.test(moduleName)) return nodeRequire(moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedModulesRuntime;
