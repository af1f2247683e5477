/**
 * Runtime access of examples/secure-data-bucket: S3 server access logging delivers into the log bucket; a
 * role granted read (or read-write) on a prefix reaches exactly that prefix through TLS 1.2+, with the key;
 * nobody outside the account gets in.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

import { SecureDataBucketStack } from '../../examples/secure-data-bucket';
import { TEST_ENV, testApp } from '../util/app';
import { s3Kms, source } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = new SecureDataBucketStack(testApp({ builtinCloudFormationValidation: false }), 'SecureDataBucket', { env: TEST_ENV });
// What users of the example do: grant a reader one prefix and a writer another.
const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
stack.lake.grantRead(reader, 'reports/*');
const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
stack.lake.grantReadWrite(writer, 'ingest/*');
const m = AccessModel.of(stack);

const bucket = m.arnOf(stack.lake.bucket);
const logs = m.arnOf(stack.lake.serverAccessLogsBucket);
const key = m.value(stack.lake.encryptionKey.keyArn);
const report = `${bucket}/reports/2026/q4.parquet`;
const ingest = `${bucket}/ingest/2026/12/02/batch-1.json`;
const logging = m.service('logging.s3.amazonaws.com');

const paths: AccessPath[] = [
  { why: 'S3 delivers the server access logs of the data bucket', principal: logging, action: 's3:PutObject',
    resource: `${logs}/access-logs/2026-12-02-10-00-00-0123456789ABCDEF`, context: source(m, bucket), expect: 'allow' },
  { why: 'S3 delivers no other bucket\'s access logs into the log bucket', principal: logging, action: 's3:PutObject',
    resource: `${logs}/access-logs/2026-12-02-10-00-00-0123456789ABCDEF`, context: source(m, 'arn:aws:s3:::some-other-bucket'), expect: 'deny' },
  { why: 'S3 logging writes only under access-logs/', principal: logging, action: 's3:PutObject', resource: `${logs}/other/x`,
    context: source(m, bucket), expect: 'deny' },
  { why: 'a role granted read on reports/ reads a report', principal: m.role(reader), action: 's3:GetObject', resource: report, expect: 'allow' },
  { why: 'a role granted read on reports/ decrypts it (S3 calls KMS for it)', principal: m.role(reader), action: 'kms:Decrypt', resource: key,
    context: s3Kms(m, stack.lake.bucket, report), expect: 'allow' },
  { why: 'a role granted read on reports/ reads nothing else', principal: m.role(reader), action: 's3:GetObject', resource: ingest, expect: 'deny' },
  { why: 'a role granted read on reports/ writes nothing', principal: m.role(reader), action: 's3:PutObject', resource: report, expect: 'deny' },
  { why: 'the bucket refuses requests without TLS', principal: m.role(reader), action: 's3:GetObject', resource: report,
    context: { 'aws:SecureTransport': 'false' }, expect: 'deny' },
  { why: 'the bucket refuses TLS below 1.2', principal: m.role(reader), action: 's3:GetObject', resource: report,
    context: { 's3:TlsVersion': '1.1' }, expect: 'deny' },
  { why: 'a role granted read-write on ingest/ writes a batch', principal: m.role(writer), action: 's3:PutObject', resource: ingest, expect: 'allow' },
  { why: 'a role granted read-write on ingest/ encrypts it with the bucket key (S3 calls KMS for it)', principal: m.role(writer),
    action: 'kms:GenerateDataKey', resource: key, context: s3Kms(m, stack.lake.bucket, ingest), expect: 'allow' },
  { why: 'a role granted read-write on ingest/ writes nothing under reports/', principal: m.role(writer), action: 's3:PutObject', resource: report,
    expect: 'deny' },
  { why: 'a role of another account, whatever its own policies, gets nothing from the bucket',
    principal: { kind: 'external', label: 'a role of account 222222222222', roleArn: 'arn:aws:iam::222222222222:role/Outsider',
      identityPolicies: [{ name: 'Outsider policy', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }] } }] },
    action: 's3:GetObject', resource: report, expect: 'deny' },
  { why: 'a role of another account cannot use the bucket key',
    principal: { kind: 'external', label: 'a role of account 222222222222', roleArn: 'arn:aws:iam::222222222222:role/Outsider',
      identityPolicies: [{ name: 'Outsider policy', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }] } }] },
    action: 'kms:Decrypt', resource: key, context: s3Kms(m, stack.lake.bucket, report), expect: 'deny' },
];

describe('examples/secure-data-bucket: runtime access', () => {
  proveAccess(m, [...paths, ...generatedPaths(m)]);
});
