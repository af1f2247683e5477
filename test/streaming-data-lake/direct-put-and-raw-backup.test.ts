/**
 * A Direct PUT lake with a raw backup and its lifecycle, and a stream lake that keeps its raw copies in the first
 * lake's bucket: one stack, synthesized once.
 */
import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';

import { ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema, StreamingDataLakeSource } from '../../lib';
import { testStack } from '../util/app';
import { nagAcknowledgments } from '../util/nag';

const stack: Stack = testStack();
const events = new StreamingDataLake(stack, 'Events', {
  source: StreamingDataLakeSource.directPut(),
  schema: StreamingDataLakeSchema.fromColumns([{ name: 'user_id', type: glue.Schema.STRING }]),
  rawBackup: { infrequentAccessAfter: Duration.days(30), expiration: Duration.days(90) },
});
const clicks = new StreamingDataLake(stack, 'Clicks', {
  schema: StreamingDataLakeSchema.fromColumns([{ name: 'page', type: glue.Schema.STRING }]),
  bucket: events.dataBucket!.bucket,
  dataPrefix: 'clicks/',
  errorPrefix: 'clicks-errors/',
  rawBackup: { prefix: 'clicks-raw/', compression: firehose.Compression.SNAPPY, bufferingInterval: Duration.seconds(60),
    bufferingSize: Size.mebibytes(16), glacierAfter: Duration.days(30) },
});
const producer = new ManagedPolicyRole(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
events.grantWrite(producer);
const template = Template.fromStack(stack);
const ref = (x: string) => stack.resolve(x);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

describe('StreamingDataLake with Direct PUT', () => {
  test('has no Kinesis stream: the Firehose stream is DirectPut, encrypted with the lake\'s customer-managed key', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 1); // the Clicks lake's only
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: ref(events.encryptionKey.keyArn) },
      KinesisStreamSourceConfiguration: Match.absent(),
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the Firehose stream and logs of Test/Events', EnableKeyRotation: true });
    expect(events.source.isDirectPut).toBe(true);
    expect(clicks.source.isDirectPut).toBe(false);
  });

  test('grantWrite gives Firehose\'s two put calls on this Firehose stream and nothing on the key', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(producer.roleName)],
      PolicyDocument: { Statement: [
        { Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: ref(events.deliveryStream.deliveryStreamArn) },
      ] },
    });
  });

  test('the delivery role reads no stream and uses no key of its own encryption (Firehose uses its grant)', () => {
    const policy = template.toJSON().Resources[id(events.deliveryPolicy)].Properties.PolicyDocument.Statement as Array<{ Sid: string }>;
    expect(policy.map(s => s.Sid)).toEqual(['LocateLakeBucket', 'WriteUnderLakePrefixes', 'ReadSchemaTable', 'WriteErrorLog', 'EncryptLakeObjects']);
  });

  test('alarms on throttled records and on the share of the Firehose stream\'s quotas used instead of the stream\'s', () => {
    expect(events.monitoring.alarms.map(a => a.node.id)).toEqual(['WriteThrottled', 'BytesNearQuota', 'RecordsNearQuota', 'PutRequestsNearQuota',
      'DataFreshness', 'DeliveryFailed', 'ConversionFailed', 'RawBackupFailed']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose', MetricName: 'ThrottledRecords', Statistic: 'Sum', Threshold: 1,
      Dimensions: [{ Name: 'DeliveryStreamName', Value: ref(events.deliveryStream.deliveryStreamName) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 80,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * (inIncomingBytes / 300) / limBytesPerSecondLimit' }),
        Match.objectLike({ Id: 'limBytesPerSecondLimit', MetricStat: Match.objectLike({ Stat: 'Minimum',
          Metric: Match.objectLike({ MetricName: 'BytesPerSecondLimit', Namespace: 'AWS/Firehose' }) }) }),
      ]),
    });
  });

  test('has nothing to acknowledge for Firehose encryption (AwsSolutions-KDF1 is satisfied)', () => {
    expect(nagAcknowledgments(events).filter(a => a.includes('KDF1'))).toEqual([]);
    expect(nagAcknowledgments(clicks).filter(a => a.includes('KDF1'))).toEqual(['Delivery/Resource AwsSolutions-KDF1']);
  });
});

describe('StreamingDataLake raw backup', () => {
  test('keeps every source record: S3 backup enabled under the raw prefix with the lake\'s time partitions, GZIP, the bucket key', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: {
          BucketARN: ref(events.bucket.bucketArn),
          RoleARN: ref(events.deliveryRole.roleArn),
          Prefix: 'raw/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
          ErrorOutputPrefix: events.errorOutputPrefix,
          CompressionFormat: 'GZIP',
          BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: ref(events.bucket.encryptionKey!.keyArn) } },
          CloudWatchLoggingOptions: { Enabled: true, LogGroupName: ref(events.errorLogGroup.logGroupName), LogStreamName: Match.anyValue() },
        },
      }),
    });
    expect(events.rawBackupPrefix).toBe('raw/');
  });

  test('takes the compression and buffering given', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        S3BackupConfiguration: Match.objectLike({
          Prefix: 'clicks-raw/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
          CompressionFormat: 'Snappy',
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 16 },
        }),
      }),
    });
  });

  test('gets its own lifecycle rule, limited to its prefix, on the bucket it shares', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([
        Match.objectLike({ Prefix: 'raw/', Status: 'Enabled', ExpirationInDays: 90,
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
        Match.objectLike({ Prefix: 'clicks-raw/', Status: 'Enabled', ExpirationInDays: Match.absent(),
          Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }] }),
      ]) },
    });
  });

  test('the delivery role may write under the raw prefix and log to the backup log stream, nowhere else', () => {
    const statements = template.toJSON().Resources[id(clicks.deliveryPolicy)].Properties.PolicyDocument.Statement as
      Array<{ Sid: string; Resource: unknown }>;
    const write = statements.find(s => s.Sid === 'WriteUnderLakePrefixes')!;
    const prefixes = ['clicks/*', 'clicks-errors/*', 'clicks-raw/*'];
    expect(write.Resource).toHaveLength(prefixes.length);
    expect(write.Resource).toEqual(expect.arrayContaining(prefixes.map(p => ref(clicks.bucket.arnForObjects(p)))));
    const log = statements.find(s => s.Sid === 'WriteErrorLog')!;
    expect(log.Resource).toHaveLength(2);
    expect(JSON.stringify(log.Resource)).toContain(id(clicks.errorLogGroup.node.findChild('S3Backup') as never));
    expect(nagAcknowledgments(clicks)).toContain(`DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<${id(events.dataBucket!.bucket)}.Arn>/clicks-raw/*]`);
  });

  test('alarms when raw copies fail to be written', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose', MetricName: 'BackupToS3.Success', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: ref(clicks.deliveryStream.deliveryStreamName) }],
    });
  });
});
