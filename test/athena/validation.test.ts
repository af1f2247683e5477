/**
 * Every rule of `AthenaWorkgroup`, each with a negative test that checks the message, and the case that must not
 * fail next to it. No test synthesizes a template: `node.validate()` is enough.
 */
import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AthenaQueryTable, AthenaWorkgroup, AthenaWorkgroupProps } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** Every validation message of a workgroup built with `props` (construction must not throw). */
function errorsOf(props: AthenaWorkgroupProps, stack: Stack = testStack()): string[] {
  new AthenaWorkgroup(stack, 'Queries', { dashboardEnabled: false, ...props });
  return stack.node.findAll().flatMap(c => validationMessages(c));
}

function table(stack: Stack, props: Partial<Parameters<typeof AthenaQueryTable.of>[0]> = {}): AthenaQueryTable {
  const bucket = s3.Bucket.fromBucketName(stack, `Lake${stack.node.children.length}`, 'lake');
  return AthenaQueryTable.of({ databaseName: 'lake', tableName: 'clicks', bucket, dataPrefix: 'clicks/', partitionKeys: ['year'], ...props });
}

describe('AthenaWorkgroup: rules checked at synth', () => {
  test('accepts the defaults, the 10 MB minimum cutoff and unresolved values', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ bytesScannedCutoffPerQuery: Size.bytes(10_000_000), resultsExpiration: Duration.days(1) })).toEqual([]);
    const stack = testStack();
    expect(errorsOf({ workGroupName: Token.asString({ Ref: 'Name' }), tables: [table(stack, { tableName: Token.asString({ Ref: 'T' }) })] },
      stack)).toEqual([]);
  });

  test('fails with a cutoff under 10 MB, Athena\'s minimum', () => {
    expect(errorsOf({ bytesScannedCutoffPerQuery: Size.bytes(9_999_999) })).toEqual([
      'Test/Queries: bytesScannedCutoffPerQuery (9999999 bytes) must be a whole number of bytes of at least 10000000 ' +
      "(10 MB, Athena's minimum per-query data usage control)",
    ]);
  });

  test('fails with a workgroup name Athena refuses, and a description over 1024 characters', () => {
    expect(errorsOf({ workGroupName: 'my workgroup', description: 'x'.repeat(1025) })).toEqual([
      "Test/Queries: workGroupName ('my workgroup') must be 1 to 128 letters, digits, ., _ or -",
      `Test/Queries: description ('${'x'.repeat(1025)}') must be at most 1024 characters long (got 1025)`,
    ]);
  });

  test('fails with a results prefix that is not a folder, and an expiration that is not whole days', () => {
    expect(errorsOf({ resultsPrefix: 'results', resultsExpiration: Duration.hours(36) })).toEqual([
      "Test/Queries: resultsPrefix ('results') must end with '/', not start with '/' and have no empty segment ('//'), so that it is a folder of the table location",
      'Test/Queries: resultsExpiration (1.5 days) must be a whole number of days of at least 1 (S3 lifecycle expiration takes days)',
    ]);
  });

  test('fails with a results bucket without a key when no results key is given', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Results', 'results');
    expect(errorsOf({ resultsBucket: bucket }, stack)).toEqual([
      'Test/Queries: resultsEncryptionKey must be given when resultsBucket has no KMS key of its own: query results are encrypted with SSE-KMS',
    ]);
  });

  test('warns that an imported results bucket keeps the results, and expires them in a bucket of this app', () => {
    const stack = testStack();
    const imported = new AthenaWorkgroup(stack, 'Imported', { dashboardEnabled: false, resultsBucket: s3.Bucket.fromBucketAttributes(stack, 'R',
      { bucketName: 'results', encryptionKey: kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:us-east-1:111111111111:key/k') }) });
    expect(imported.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data))).toEqual([
      "resultsBucket is imported, so the workgroup cannot expire the query results under 'athena-results/' after 30 days: " +
      'add that lifecycle rule where the bucket is defined [ack: cdk-analytics-blueprints:athenaResultsNotExpired]',
    ]);
    const own = new s3.Bucket(stack, 'Own', { encryption: s3.BucketEncryption.KMS });
    new AthenaWorkgroup(stack, 'Owned', { dashboardEnabled: false, resultsBucket: own, resultsPrefix: 'q/', resultsExpiration: Duration.days(3) });
    expect(stack.resolve((own.node.defaultChild as s3.CfnBucket).lifecycleConfiguration)).toEqual({
      rules: [{ id: expect.stringMatching(/^expire-TestOwned/), prefix: 'q/', expirationInDays: 3, status: 'Enabled' }],
    });
  });

  test('fails with a table given twice, a partition key Athena cannot name and a table prefix that is not a folder', () => {
    const stack = testStack();
    expect(errorsOf({ tables: [table(stack), table(stack, { partitionKeys: ['Year'], dataPrefix: '/clicks/' })] }, stack)).toEqual([
      "Test/Queries: tables[1].dataPrefix ('/clicks/') must end with '/', not start with '/' and have no empty segment ('//'), so that it is a folder of the table location",
      "Test/Queries: tables[1] ('lake.clicks') must be given once: each table gets one sample query",
      "Test/Queries: tables[1].partitionKeys[0] ('Year') must be an Athena column name: lowercase letters, digits and underscores, starting with a letter or underscore",
    ]);
  });

  test('checks a table added later with addTable', () => {
    const stack = testStack();
    const queries = new AthenaWorkgroup(stack, 'Queries', { dashboardEnabled: false, tables: [table(stack)] });
    queries.addTable(table(stack));
    expect(validationMessages(queries)).toEqual(["Test/Queries: tables[1] ('lake.clicks') must be given once: each table gets one sample query"]);
  });

  test('fails with alarm thresholds that would always be in ALARM', () => {
    expect(errorsOf({ alarmThresholds: { failedQueries: 0, processedBytesPerHour: Size.bytes(0) } })).toEqual([
      'Test/Queries: alarmThresholds.failedQueries (0) must be a whole number of at least 1: the alarm would always be in ALARM',
      'Test/Queries: alarmThresholds.processedBytesPerHour (0 MiB) must be more than 0 bytes: the alarm would always be in ALARM',
    ]);
  });

  test('renders a cutoff in whole bytes, and a stand-in for a cutoff it reported', () => {
    const stack = testStack();
    const cutoff = (size: Size, name: string) => {
      const wg = new AthenaWorkgroup(stack, name, { bytesScannedCutoffPerQuery: size, dashboardEnabled: false });
      return (wg.workGroup.workGroupConfiguration as athena.CfnWorkGroup.WorkGroupConfigurationProperty).bytesScannedCutoffPerQuery;
    };
    expect(cutoff(Size.mebibytes(10), 'Small')).toBe(10 * 1024 * 1024);
    expect(cutoff(Size.bytes(1), 'Tiny')).toBe(100 * 1024 ** 3);
  });
});
