/**
 * Snapshot check of the integration tests: synthesizes every integ-runner test app (`test/integ.*.ts`)
 * with a fixed account and region, and compares each template (the stacks under test and the assertion
 * stack) and the test case manifest with the committed snapshots, without deploying anything.
 *
 * Run:    npx jest -c jest.integ.config.js
 * Update: npx jest -c jest.integ.config.js --ci=false -u   (then read the diff: every change is a real one)
 *
 * Volatile values are masked: asset hashes and CDK metadata (test/util/snapshot-serializer.ts) and the
 * `salt` that integ-tests-alpha gives each assertion so that it runs again on every deployment.
 */
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { emrIntegApp } from '../integ.emr';
import { glueEtlIntegApp } from '../integ.glue-etl';
import { openSearchIntegApp } from '../integ.opensearch';
import { redshiftIntegApp } from '../integ.redshift';
import { streamingDataLakeIntegApp } from '../integ.streaming-data-lake';
import { TEST_ENV } from '../util/app';
import { IntegAppOptions, REMOVE_DATA_ON_DESTROY } from './integ-app';

const APPS: Array<[string, (options: IntegAppOptions) => App]> = [
  ['integ.streaming-data-lake', streamingDataLakeIntegApp],
  ['integ.glue-etl', glueEtlIntegApp],
  ['integ.emr', emrIntegApp],
  ['integ.redshift', redshiftIntegApp],
  ['integ.opensearch', openSearchIntegApp],
];

/** Replaces the per-synth `salt` of integ-tests-alpha's assertion resources. */
function maskSalt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSalt);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'salt' ? '[SALT]' : maskSalt(v)]));
  }
  return value;
}

test('every integ app is checked here', () => {
  const onDisk = fs.readdirSync(path.join(__dirname, '..')).filter(f => /^integ\..+\.ts$/.test(f)).map(f => f.replace(/\.ts$/, '')).sort();
  expect(APPS.map(([name]) => name).sort()).toEqual(onDisk);
  // The integ apps spell the destroy-data flag as users do; it must be the library's.
  expect(REMOVE_DATA_ON_DESTROY).toBe(REMOVE_DATA_ON_DESTROY_CONTEXT);
});

describe.each(APPS)('%s', (_name, build) => {
  let assembly: CloudAssembly;
  let outdir: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-'));
    assembly = build({ outdir, env: TEST_ENV }).synth();
  });

  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synthesizes without context lookups', () => {
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('defines one integ-runner test case with its assertion stack', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'integ.json'), 'utf-8'));
    expect(manifest.testCases).toMatchSnapshot();
  });

  test('templates match the snapshots', () => {
    for (const stack of assembly.stacks) {
      expect(maskSalt(stack.template)).toMatchSnapshot(stack.stackName);
    }
  });
});
