import { CfnElement, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

import {
  AlarmTopic, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeCapacity, StreamingDataLakeFileFormat,
  StreamingDataLakeSchema, StreamingDataLakeTimePartitioning,
} from '../../lib';
import { testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';
import { Cfn, COLUMNS, DAILY_ERRORS, deliveryStatements, destinationOf, HOURLY, SCHEMA } from './fixtures';

describe('StreamingDataLake with default props', () => {
  let stack: Stack;
  let template: Template;
  let lake: StreamingDataLake;
  beforeAll(() => {
    stack = testStack();
    lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
    template = Template.fromStack(stack);
  });

  test('creates an on-demand stream kept 7 days (a weekend outage of delivery loses nothing), encrypted with a rotating key, retained', () => {
    template.hasResource('AWS::Kinesis::Stream', {
      Properties: {
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 168,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: stack.resolve(lake.encryptionKey.keyArn) },
      },
      // Retained on deletion and replacement; deleted only if the deploy that created it rolls back.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    expect(template.toJSON().Resources[stack.getLogicalId(lake.stream.node.defaultChild as kinesis.CfnStream)].Properties.ShardCount)
      .toBeUndefined();
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the Kinesis stream and logs of Test/Lake' });
  });

  test('writes to a new DataBucket, objects encrypted with its key', () => {
    expect(lake.dataBucket).toBeDefined();
    expect(lake.bucket).toBe(lake.dataBucket!.bucket);
    const d = destinationOf(template);
    expect(d.BucketARN).toEqual(stack.resolve(lake.bucket.bucketArn));
    expect(d.EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: stack.resolve(lake.dataBucket!.encryptionKey.keyArn) } });
  });

  test('delivers under data/ with hourly Hive partitions and failures under errors/ by type and day', () => {
    const d = destinationOf(template);
    expect(d.Prefix).toEqual(`data/${HOURLY}`);
    expect(d.ErrorOutputPrefix).toEqual(`errors/${DAILY_ERRORS}`);
    expect(lake.dataOutputPrefix).toEqual(`data/${HOURLY}`);
  });

  test('buffers 300 seconds or 128 MiB, converts OpenX JSON to Parquet with the table schema, no processors', () => {
    const d = destinationOf(template);
    expect(d.BufferingHints).toEqual({ IntervalInSeconds: 300, SizeInMBs: 128 });
    expect(d.DataFormatConversionConfiguration).toEqual({
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
      SchemaConfiguration: {
        CatalogId: '111111111111',
        DatabaseName: stack.resolve(lake.databaseName),
        TableName: stack.resolve(lake.tableName),
        Region: 'us-east-1',
        RoleARN: stack.resolve(lake.deliveryRole.roleArn),
        VersionId: 'LATEST',
      },
    });
    expect(d.ProcessingConfiguration).toBeUndefined();
    expect(d.DynamicPartitioningConfiguration).toBeUndefined();
    expect(d.CompressionFormat).toBeUndefined();
  });

  test('reads the stream as its source', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: stack.resolve(lake.stream.streamArn), RoleARN: stack.resolve(lake.deliveryRole.roleArn) },
    });
  });

  test('creates a Parquet table located at the data prefix, partitioned like the prefix, with projection', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        PartitionKeys: [
          { Name: 'year', Type: 'int', Comment: Match.anyValue() },
          { Name: 'month', Type: 'int', Comment: Match.anyValue() },
          { Name: 'day', Type: 'int', Comment: Match.anyValue() },
          { Name: 'hour', Type: 'int', Comment: Match.anyValue() },
        ],
        Parameters: Match.objectLike({
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.year.type': 'integer',
          'projection.year.range': '2025,2099',
          'projection.month.range': '1,12',
          'projection.month.digits': '2',
          'projection.day.range': '1,31',
          'projection.day.digits': '2',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
        }),
        StorageDescriptor: Match.objectLike({
          Columns: [{ Name: 'user_id', Type: 'string' }, { Name: 'amount', Type: 'double' }],
          Location: { 'Fn::Join': ['', ['s3://', stack.resolve(lake.bucket.bucketName), '/data/']] },
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
      },
    });
    template.resourceCountIs('AWS::Glue::Database', 1);
  });

  test('logs delivery errors to a log group encrypted with the key and kept one year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: stack.resolve(lake.encryptionKey.keyArn),
    });
    expect(destinationOf(template).CloudWatchLoggingOptions).toEqual({
      Enabled: true,
      LogGroupName: stack.resolve(lake.errorLogGroup.logGroupName),
      LogStreamName: { Ref: expect.any(String) },
    });
  });

  test('gives Firehose one policy: this stream, this table, only the two prefixes, the two keys, the log stream', () => {
    const statements = deliveryStatements(template, lake);
    expect(statements.map(s => s.Sid)).toEqual(['ReadSourceStream', 'DecryptSourceStream', 'LocateLakeBucket', 'WriteUnderLakePrefixes',
      'ReadSchemaTable', 'WriteErrorLog', 'EncryptLakeObjects']);
    const bucketArn = stack.resolve(lake.bucket.bucketArn);
    expect(statements[3]).toEqual({
      Sid: 'WriteUnderLakePrefixes',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: [{ 'Fn::Join': ['', [bucketArn, '/data/*']] }, { 'Fn::Join': ['', [bucketArn, '/errors/*']] }],
    });
    const actions = statements.flatMap(s => [s.Action].flat());
    expect(actions).not.toContain('s3:DeleteObject*');
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(statements.every(s => s.Resource !== '*')).toBe(true);
    // The L2's own grants are dropped: no inline policy is attached to the role.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResource('AWS::KinesisFirehose::DeliveryStream', {
      DependsOn: Match.arrayWith([stack.getLogicalId(lake.deliveryPolicy.node.defaultChild as iam.CfnManagedPolicy)]),
    });
  });

  test('lets only Firehose streams of this account assume the role (aws:SourceAccount and aws:SourceArn)', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:firehose:us-east-1:111111111111:deliverystream/*' },
          },
        }],
      },
    });
  });

  test('raises the five default alarms, notifying the stack\'s alarm topic, and a dashboard', () => {
    expect(lake.monitoring.alarms.map(a => a.node.id)).toEqual(['IteratorAge', 'WriteThrottled', 'DataFreshness', 'DeliveryFailed', 'ConversionFailed']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'GetRecords.IteratorAgeMilliseconds', Statistic: 'Maximum', Threshold: 3600000,
      Dimensions: [{ Name: 'StreamName', Value: stack.resolve(lake.stream.streamName) }],
    });
    // WriteProvisionedThroughputExceeded counts records throttled in PutRecord and PutRecords calls alike.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'WriteProvisionedThroughputExceeded', Namespace: 'AWS/Kinesis', Statistic: 'Sum', Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'StreamName', Value: stack.resolve(lake.stream.streamName) }],
    });
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'PutRecords.ThrottledRecords' } })).toEqual({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.DataFreshness', Namespace: 'AWS/Firehose', Threshold: 900,
      Dimensions: [{ Name: 'DeliveryStreamName', Value: stack.resolve(lake.deliveryStream.deliveryStreamName) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.Success', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FailedConversion.Records', Statistic: 'Sum', Threshold: 1 });
    const topic = { Ref: stack.getLogicalId(AlarmTopic.ofStack(stack).topic.node.defaultChild as sns.CfnTopic) };
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('exposes metric helpers with the right dimensions', () => {
    expect(stack.resolve(lake.metricIteratorAge().dimensions)).toEqual({ StreamName: stack.resolve(lake.stream.streamName) });
    expect(lake.metricDataFreshness().metricName).toEqual('DeliveryToS3.DataFreshness');
    expect(lake.metricDeliverySuccess().statistic).toEqual('Minimum');
    expect(lake.metricFailedConversionRecords({ period: Duration.minutes(1) }).period.toSeconds()).toEqual(60);
    expect(lake.metricWriteThrottled().metricName).toEqual('WriteProvisionedThroughputExceeded');
  });

  test('subscribes no log group and creates no Lambda', () => {
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('StreamingDataLake with every option', () => {
  let stack: Stack;
  let template: Template;
  let lake: StreamingDataLake;
  let bucket: s3.Bucket;
  let key: kms.Key;
  let topic: sns.Topic;
  let logGroup: logs.LogGroup;
  let fn: lambda.IFunction;
  let database: glue.Database;
  let producer: iam.Role;
  let reader: iam.Role;
  beforeAll(() => {
    stack = testStack();
    key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true });
    bucket = new s3.Bucket(stack, 'MyBucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: bucketKey });
    topic = new sns.Topic(stack, 'Topic');
    logGroup = new logs.LogGroup(stack, 'Source');
    fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:transform');
    database = new glue.Database(stack, 'Db', { databaseName: 'analytics' });
    lake = new StreamingDataLake(stack, 'Lake', {
      schema: StreamingDataLakeSchema.fromColumns(COLUMNS, { database, tableName: 'payments', description: 'Payments', projectionFirstYear: 2030 }),
      streamName: 'payments',
      capacity: StreamingDataLakeCapacity.provisioned(4),
      retentionPeriod: Duration.days(7),
      encryptionKey: key,
      bucket,
      deliveryStreamName: 'payments-to-lake',
      dataPrefix: 'lake/payments/',
      errorPrefix: 'lake/payments-errors/',
      timePartitioning: StreamingDataLakeTimePartitioning.DAY,
      partitionKeys: [{ name: 'tenant', query: '.tenant.id' },
        { name: 'region', query: '.region', projection: glue.PartitionProjectionConfiguration.enum({ values: ['eu', 'us'] }) }],
      bufferingInterval: Duration.seconds(60),
      bufferingSize: Size.mebibytes(64),
      fileFormat: StreamingDataLakeFileFormat.orc({ compression: firehose.OrcCompression.ZLIB }),
      inputFormat: new firehose.HiveJsonInputFormat(),
      transform: { lambdaFunction: fn, bufferInterval: Duration.seconds(30), bufferSize: Size.mebibytes(2), retries: 5 },
      logSources: [{ logGroup, filterPattern: logs.FilterPattern.stringValue('$.level', '=', 'ERROR') }],
      errorLogRetention: logs.RetentionDays.ONE_MONTH,
      alarmThresholds: { iteratorAge: Duration.hours(6), dataFreshness: Duration.minutes(10) },
      alarmTopic: topic,
      dashboardName: 'payments-lake',
    });
    producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantWrite(producer);
    lake.grantReadData(reader);
    template = Template.fromStack(stack);
  });

  test('uses a provisioned stream with the given name, shards, retention and key', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'payments',
      ShardCount: 4,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: stack.resolve(key.keyArn) },
    });
    expect(lake.encryptionKey).toBe(key);
  });

  test('writes to the given bucket with its key and creates no DataBucket', () => {
    expect(lake.dataBucket).toBeUndefined();
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(destinationOf(template).EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toEqual(stack.resolve(bucket.encryptionKey!.keyArn));
  });

  test('puts dynamic keys before daily time partitions in the prefix and in the table', () => {
    const d = destinationOf(template);
    expect(d.Prefix).toEqual('lake/payments/tenant=!{partitionKeyFromQuery:tenant}/region=!{partitionKeyFromQuery:region}/'
      + 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/');
    expect(d.ErrorOutputPrefix).toEqual(`lake/payments-errors/${DAILY_ERRORS}`);
    expect(d.DynamicPartitioningConfiguration).toEqual({ Enabled: true });
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: stack.resolve(database.databaseName),
      TableInput: Match.objectLike({
        Name: 'payments',
        Description: 'Payments',
        PartitionKeys: [
          Match.objectLike({ Name: 'tenant', Type: 'string' }), Match.objectLike({ Name: 'region', Type: 'string' }),
          Match.objectLike({ Name: 'year', Type: 'int' }), Match.objectLike({ Name: 'month', Type: 'int' }), Match.objectLike({ Name: 'day', Type: 'int' }),
        ],
        Parameters: Match.objectLike({
          'classification': 'orc',
          'projection.tenant.type': 'injected',
          'projection.region.type': 'enum',
          'projection.region.values': 'eu,us',
          'projection.year.range': '2030,2099',
        }),
        StorageDescriptor: Match.objectLike({ Location: { 'Fn::Join': ['', ['s3://', stack.resolve(bucket.bucketName), '/lake/payments/']] } }),
      }),
    });
    template.resourceCountIs('AWS::Glue::Database', 1);
  });

  test('buffers as told and converts Hive JSON to ORC with ZLIB', () => {
    const d = destinationOf(template);
    expect(d.BufferingHints).toEqual({ IntervalInSeconds: 60, SizeInMBs: 64 });
    expect(d.DataFormatConversionConfiguration.InputFormatConfiguration).toEqual({ Deserializer: { HiveJsonSerDe: {} } });
    expect(d.DataFormatConversionConfiguration.OutputFormatConfiguration).toEqual({ Serializer: { OrcSerDe: { Compression: 'ZLIB' } } });
  });

  test('decompresses CloudWatch Logs, extracts partition keys and calls the transform, in that order', () => {
    const processors = destinationOf(template).ProcessingConfiguration.Processors;
    expect(processors.map((p: Cfn) => p.Type)).toEqual(['Decompression', 'CloudWatchLogProcessing', 'MetadataExtraction', 'Lambda']);
    expect(processors[2].Parameters).toContainEqual({ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{"tenant":.tenant.id,"region":.region}' });
    expect(processors[3].Parameters).toEqual(expect.arrayContaining([
      { ParameterName: 'LambdaArn', ParameterValue: fn.functionArn },
      { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '30' },
      { ParameterName: 'BufferSizeInMBs', ParameterValue: '2' },
      { ParameterName: 'NumberOfRetries', ParameterValue: '5' },
    ]));
  });

  test('adds no resource policy for the delivery role (no Lambda permission, no key policy statement)', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    const roleArn = JSON.stringify(stack.resolve(lake.deliveryRole.roleArn));
    for (const k of Object.values(template.findResources('AWS::KMS::Key'))) {
      expect(JSON.stringify(k.Properties.KeyPolicy)).not.toContain(roleArn);
    }
  });

  test('lets Firehose invoke only the transform function and read only the given database table', () => {
    const statements = deliveryStatements(template, lake);
    expect(statements).toContainEqual({
      Sid: 'InvokeTransform', Effect: 'Allow', Action: ['lambda:GetFunctionConfiguration', 'lambda:InvokeFunction'], Resource: fn.functionArn,
    });
    const glueStatement = statements.find(s => s.Sid === 'ReadSchemaTable')!;
    expect(JSON.stringify(glueStatement.Resource)).toContain(':table/');
    expect(statements.find(s => s.Sid === 'WriteUnderLakePrefixes')!.Resource).toEqual([
      { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/lake/payments-errors/*']] },
      { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/lake/payments/*']] },
    ]);
  });

  test('subscribes the log group to the stream through a role that may only put records', () => {
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: stack.resolve(logGroup.logGroupName),
      DestinationArn: stack.resolve(lake.stream.streamArn),
      FilterPattern: '{ $.level = "ERROR" }',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Principal: { Service: 'logs.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111111111111:*' },
        },
      })] },
    });
    // The role's own managed policy (a ManagedPolicyRole), each statement with its id.
    const role = lake.node.findChild('LogSourceRole0') as ManagedPolicyRole;
    expect(role).toBeInstanceOf(ManagedPolicyRole);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(role.roleName)],
      PolicyDocument: {
        Statement: [
          { Sid: 'PutRecordsOnStream', Action: 'kinesis:PutRecord', Effect: 'Allow', Resource: stack.resolve(lake.stream.streamArn) },
          { Sid: 'EncryptStreamRecords', Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: stack.resolve(key.keyArn) },
          { Sid: 'PassRoleToLogs', Action: 'iam:PassRole', Effect: 'Allow', Resource: stack.resolve(role.roleArn) },
        ],
      },
    });
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [stack.resolve(role.roleName)] } }))).toEqual([
      stack.getLogicalId(role.policy.node.defaultChild as CfnElement),
    ]);
  });

  test('keeps error logs one month', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: stack.resolve(key.keyArn) });
  });

  test('raises transform and partition alarms too, with the given thresholds, to the topic', () => {
    expect(lake.monitoring.alarms.map(a => a.node.id)).toEqual(['IteratorAge', 'WriteThrottled', 'DataFreshness', 'DeliveryFailed',
      'ConversionFailed', 'TransformFailed', 'PartitionCountExceeded']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: 21600000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToS3.DataFreshness', Threshold: 600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecuteProcessing.Success', ComparisonOperator: 'LessThanThreshold' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PartitionCountExceeded', Threshold: 1 });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [stack.resolve(topic.topicArn)], OKActions: [stack.resolve(topic.topicArn)],
    });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'payments-lake' });
  });

  test('names the delivery stream, and lets Firehose assume the role only for that stream', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: 'payments-to-lake' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Principal: { Service: 'firehose.amazonaws.com' },
        Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': 'arn:aws:firehose:us-east-1:111111111111:deliverystream/payments-to-lake' } }),
      })] },
    });
  });

  test('grantWrite lets a producer put records and encrypt; grantReadData reads the table and only the data prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(producer.roleName)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['kinesis:PutRecord', 'kinesis:PutRecords']), Resource: stack.resolve(lake.stream.streamArn) }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(reader.roleName)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['glue:GetPartitions', 'glue:GetTable']) }),
          Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/lake/payments/*']] } }),
        ]),
      },
    });
  });
});

describe('StreamingDataLake with an existing table, an imported bucket and monitoring off', () => {
  let stack: Stack;
  let template: Template;
  let lake: StreamingDataLake;
  beforeAll(() => {
    stack = testStack();
    lake = new StreamingDataLake(stack, 'Lake', {
      schema: StreamingDataLakeSchema.fromTable({ database: glue.Database.fromDatabaseArn(stack, 'Shared', 'arn:aws:glue:us-east-1:222222222222:database/shared'), tableName: 'events' }),
      bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'my-lake'),
      alarmsEnabled: false,
      dashboardEnabled: false,
    });
    template = Template.fromStack(stack);
  });

  test('points the conversion at the existing table and creates no Glue resource', () => {
    expect(lake.table).toBeUndefined();
    expect(lake.database.databaseName).toEqual('shared');
    template.resourceCountIs('AWS::Glue::Table', 0);
    template.resourceCountIs('AWS::Glue::Database', 0);
    expect(destinationOf(template).DataFormatConversionConfiguration).toEqual({
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
      SchemaConfiguration: {
        CatalogId: '222222222222', DatabaseName: 'shared', TableName: 'events', Region: 'us-east-1', VersionId: 'LATEST',
        RoleARN: stack.resolve(lake.deliveryRole.roleArn),
      },
    });
  });

  test('lets Firehose read only that table of that catalog', () => {
    expect(deliveryStatements(template, lake).find(s => s.Sid === 'ReadSchemaTable')!.Resource).toEqual([
      'arn:aws:glue:us-east-1:222222222222:catalog',
      'arn:aws:glue:us-east-1:222222222222:database/shared',
      'arn:aws:glue:us-east-1:222222222222:table/shared/events',
    ]);
  });

  test('leaves object encryption to the bucket default when the bucket key is unknown', () => {
    expect(destinationOf(template).EncryptionConfiguration).toBeUndefined();
    expect(deliveryStatements(template, lake).map(s => s.Sid)).not.toContain('EncryptLakeObjects');
  });

  test('acknowledges the prefix wildcards of an imported bucket by their exact ARN, leaving no IAM5 finding', () => {
    expect(nagAcknowledgments(lake)).toEqual([
      'Delivery/Resource AwsSolutions-KDF1',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:s3:::my-lake/data/*]',
      'DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:s3:::my-lake/errors/*]',
      'Stream/Resource AwsSolutions-KDS3',
    ]);
    expect(nagFindings(stack).filter(f => f.startsWith('AwsSolutions-IAM5'))).toEqual([]);
  });

  test('creates no alarm and no dashboard', () => {
    expect(lake.monitoring.alarms).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});
