/**
 * Jest globalSetup and globalTeardown: every test run writes its temporary files under one folder that is
 * removed when the run ends, so tests leave nothing behind in the system temp directory.
 *
 * aws-cdk-lib's `App` without `outdir` synthesizes into `fs.mkdtempSync(os.tmpdir() + '/cdk.out')` and never
 * removes it: a full run used to leave hundreds of `cdk.out*` folders in /tmp. `os.tmpdir()` reads `TMPDIR`
 * at each call, and jest starts its workers after globalSetup with the parent's environment, so pointing
 * `TMPDIR` at a fresh folder here sends every synth (and every other temporary file of a test) there.
 * `.ci/run` checks that no `cdk.out*` folder is left in the system temp directory after the tests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const KEY = 'CDK_ANALYTICS_BLUEPRINTS_TEST_TMPDIR';
const PREFIX = 'cdk-analytics-blueprints-jest-';

export function setup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  process.env[KEY] = root;
  process.env.TMPDIR = root;
}

export function teardown(): void {
  const root = process.env[KEY];
  if (root && path.basename(root).startsWith(PREFIX)) {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
