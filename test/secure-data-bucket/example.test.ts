/**
 * examples/secure-data-bucket, as `cdk synth` builds it (built-in CloudFormation validation on): no lookup,
 * the template pinned by a snapshot, the four cdk-nag packs clean, and the acknowledgments pinned. One synth.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';

import { SecureDataBucketStack } from '../../examples/secure-data-bucket';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

const stack = new SecureDataBucketStack(testApp(), 'SecureDataBucket', { env: TEST_ENV });
const template = Template.fromStack(stack);

test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
  expect(missingContext(stack)).toEqual([]);
});

test('the data bucket is encrypted with the rotating customer-managed key, with S3 Bucket Keys', () => {
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(stack.lake.encryptionKey.keyArn) },
      }],
    },
    VersioningConfiguration: { Status: 'Enabled' },
    LoggingConfiguration: { DestinationBucketName: stack.resolve(stack.lake.serverAccessLogsBucket.bucketName) },
  });
});

test('the lifecycle of the example: Standard-IA after 90 days, Glacier after 365', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: Match.arrayWith([Match.objectLike({
        Status: 'Enabled',
        Transitions: [
          { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
          { StorageClass: 'GLACIER', TransitionInDays: 365 },
        ],
      })]),
    },
  });
});

test('both buckets are kept on cdk destroy, except when the first deploy fails', () => {
  const buckets = template.findResources('AWS::S3::Bucket');
  expect(Object.keys(buckets)).toHaveLength(2);
  for (const bucket of Object.values(buckets)) {
    expect(bucket).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  }
});

test('stack matches the snapshot', () => {
  expect(template.toJSON()).toMatchSnapshot();
});

test('passes the four cdk-nag packs', () => {
  expect(nagFindings(stack)).toEqual([]);
});

test('the acknowledged nag findings are exactly these', () => {
  // DataBucket's own, each with its reason in lib/core/data-bucket.ts: the access-log bucket cannot use SSE-KMS
  // (S3 server access logging delivers only to SSE-S3 buckets) nor log to itself; replication is the user's choice.
  expect(nagAcknowledgments(stack)).toEqual([
    'Lake/AccessLogs/Resource AwsSolutions-S1',
    'Lake/AccessLogs/Resource HIPAA.Security-S3BucketLoggingEnabled',
    'Lake/AccessLogs/Resource HIPAA.Security-S3BucketReplicationEnabled',
    'Lake/AccessLogs/Resource HIPAA.Security-S3DefaultEncryptionKMS',
    'Lake/AccessLogs/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
    'Lake/AccessLogs/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
    'Lake/AccessLogs/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
    'Lake/AccessLogs/Resource PCI.DSS.321-S3BucketLoggingEnabled',
    'Lake/AccessLogs/Resource PCI.DSS.321-S3BucketReplicationEnabled',
    'Lake/AccessLogs/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
    'Lake/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
    'Lake/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
    'Lake/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
  ]);
});
