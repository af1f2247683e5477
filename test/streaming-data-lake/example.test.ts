import { Template } from 'aws-cdk-lib/assertions';
import { StreamingDataLakeStack } from '../../examples/streaming-data-lake';
import { testApp, TEST_ENV, missingContext } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

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

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly these findings, each on its one resource', () => {
    expect(nagAcknowledgments(stack.clickstream)).toEqual([
      'Delivery/Resource AwsSolutions-KDF1',
      'DeliveryPolicy AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/clicks-errors/*]',
      'DeliveryPolicy AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/clicks/*]',
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
      'DeliveryPolicy AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/app-logs-errors/*]',
      'DeliveryPolicy AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/app-logs/*]',
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
