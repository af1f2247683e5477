import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { KeyGrantPolicy } from '../../lib/core/encryption-key';
import { EXCEPTIONS_PAGE, findingsOf, matches, readExceptions, ruleFiles, runGuard } from '../../scripts/control-tower-check';

/**
 * The Control Tower check of CI (scripts/control-tower-check.ts), on a small template with the real cfn-guard
 * binary and rules: what it reports, how it names resources, and how it reads the exception table of docs/compliance.md.
 */
describe('control tower check', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-check-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  // Path metadata on, as the CDK CLI synthesizes: the check names resources by their construct paths.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Ct', { env: { account: '111111111111', region: 'us-east-1' } });
  new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED });
  new kms.Key(stack, 'OpenKey', { enableKeyRotation: true });
  const limited = new kms.Key(stack, 'LimitedKey', { enableKeyRotation: true });
  KeyGrantPolicy.limitToAwsServices(limited);
  const file = path.join(app.synth().directory, 'Ct.template.json');
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));

  let found: { control: string; path: string }[];
  beforeAll(async () => {
    found = findingsOf('Ct', template, await runGuard(file, template, ruleFiles()))
      .map(f => ({ control: f.control, path: f.path }));
  });

  test('reports a control by its id, on the construct path of the resource', () => {
    expect(found).toContainEqual({ control: 'CT.S3.PR.10', path: 'Ct/Plain/Resource' });
    expect(found).toContainEqual({ control: 'CT.KMS.PR.3', path: 'Ct/OpenKey/Resource' });
  });

  test("KeyGrantPolicy's statement is the one CT.KMS.PR.3 asks for", () => {
    expect(found).not.toContainEqual({ control: 'CT.KMS.PR.3', path: 'Ct/LimitedKey/Resource' });
  });

  test('reads the table of docs/compliance.md, and every row names a control, a pattern and a reason', () => {
    expect(EXCEPTIONS_PAGE).toBe('docs/compliance.md');
    const rows = readExceptions(fs.readFileSync(path.join(__dirname, '..', '..', EXCEPTIONS_PAGE), 'utf8'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.control).toMatch(/^CT\.[A-Z0-9]+\.PR\.\d+$/);
      expect(row.reason.length).toBeGreaterThanOrEqual(20);
    }
  });

  test('refuses a table without reasons, and a page without the table', () => {
    const heading = '### AWS Control Tower proactive controls: exceptions';
    expect(() => readExceptions(`${heading}\n\n| CT.S3.PR.9 | \`**/Bucket/Resource\` | because |\n`))
      .toThrow('docs/compliance.md exception CT.S3.PR.9 **/Bucket/Resource: the reason is too short to review');
    expect(() => readExceptions('# nothing here')).toThrow(`docs/compliance.md has no section "${heading}"`);
  });

  test('patterns: * stays within a segment, ** crosses segments', () => {
    expect(matches('**/AccessLogs/Resource', 'Stack/Lake/AccessLogs/Resource')).toBe(true);
    expect(matches('*/AccessLogs/Resource', 'Stack/Lake/AccessLogs/Resource')).toBe(false);
    expect(matches('*/Custom::X/Handler', 'Stack/Custom::X/Handler')).toBe(true);
    expect(matches('**/Bucket/Resource', 'Stack/Lake/AccessLogs/Resource')).toBe(false);
  });
});

test('the check refuses a template without construct paths, which it could only name by logical id', () => {
  expect(() => findingsOf('Bare', { Resources: { A: { Type: 'AWS::S3::Bucket' } } }, []))
    .toThrow('Bare: the template has no aws:cdk:path metadata');
});
