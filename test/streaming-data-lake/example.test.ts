import { Template } from 'aws-cdk-lib/assertions';

import { StreamingDataLakeStack } from '../../examples/streaming-data-lake';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

/** Properties that hold a resource's physical name, by type: a retained resource with one blocks a redeploy. */
const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::Glue::Database': ['DatabaseInput', 'Name'], 'AWS::Glue::Table': ['TableInput', 'Name'], 'AWS::Glue::Connection': ['ConnectionInput', 'Name'],
  'AWS::Glue::SecurityConfiguration': ['Name'], 'AWS::Glue::Crawler': ['Name'], 'AWS::Glue::Job': ['Name'], 'AWS::Glue::Workflow': ['Name'],
  'AWS::Glue::Trigger': ['Name'], 'AWS::Kinesis::Stream': ['Name'], 'AWS::KinesisFirehose::DeliveryStream': ['DeliveryStreamName'],
  'AWS::Logs::LogGroup': ['LogGroupName'], 'AWS::S3::Bucket': ['BucketName'], 'AWS::KMS::Alias': ['AliasName'],
};

/**
 * Resources of `template` with a physical name and a plain `Retain` deletion policy: a first deploy that rolls back
 * leaves them behind, and the retry fails with "already exists".
 */
function namedAndRetained(template: Template): string[] {
  type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
  return Object.entries(template.toJSON().Resources as Record<string, Resource>)
    .filter(([, r]) => NAME_PROPERTIES[r.Type] && NAME_PROPERTIES[r.Type].reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k],
      r.Properties) !== undefined && r.DeletionPolicy === 'Retain')
    .map(([id, r]) => `${id} (${r.Type})`);
}

describe('StreamingDataLakeStack example', () => {
  let stack: StreamingDataLakeStack;
  let template: Template;
  beforeAll(() => {
    stack = new StreamingDataLakeStack(testApp(), 'StreamingDataLake', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('leaves no named resource behind when a first deploy rolls back, so the retry does not collide (RetainExceptOnCreate)', () => {
    expect(namedAndRetained(template)).toEqual([]);
    template.hasResource('AWS::Glue::Database', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::Glue::Table', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  });

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly these findings, each on its one resource', () => {
    expect(nagAcknowledgments(stack.clickstream)).toEqual([
      'Delivery/Resource AwsSolutions-KDF1',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/clicks-errors/*]',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/clicks/*]',
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
      'Stream/Resource AwsSolutions-KDS3',
    ]);
    expect(nagAcknowledgments(stack.appLogs)).toEqual([
      'Delivery/Resource AwsSolutions-KDF1',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/app-logs-errors/*]',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/app-logs/*]',
      'Stream/Resource AwsSolutions-KDS3',
    ]);
  });

  test('raises these alarms, all to the one topic', () => {
    const alarms = (lake: typeof stack.clickstream) => lake.monitoring.alarms.map(a => a.node.id);
    expect(alarms(stack.clickstream)).toEqual(['IteratorAge', 'WriteThrottled', 'DataFreshness', 'DeliveryFailed', 'ConversionFailed',
      'PartitionCountExceeded']);
    expect(alarms(stack.appLogs)).toEqual(['IteratorAge', 'WriteThrottled', 'DataFreshness', 'DeliveryFailed', 'ConversionFailed']);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 11);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });
});
