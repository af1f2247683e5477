/**
 * What each prop of a FlinkApplication renders, and the defaults as documented. One stack, synthesized once: a
 * default application (code from an asset, a KMS-encrypted stream) and one in a VPC (code from a bucket with a
 * customer-managed key, enhanced fan-out, its own settings).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AnalyticsNetwork, FlinkApplication, FlinkApplicationCode, FlinkInput, FlinkLogLevel, FlinkMetricsLevel, FlinkRuntime } from '../../lib';
import { testStack } from '../util/app';
import { nagFindings } from '../util/nag';

const stack = testStack();
const streamKey = new kms.Key(stack, 'StreamKey');
const stream = new kinesis.Stream(stack, 'Clicks', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: streamKey });
// The asset's content does not matter to the template: any file stands in for the JAR here.
const basic = new FlinkApplication(stack, 'Basic', {
  code: FlinkApplicationCode.fromAsset(__filename),
  input: FlinkInput.fromStream(stream),
});
const vpc = new ec2.Vpc(stack, 'Vpc', {
  availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1,
  subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
});
const artifactKey = new kms.Key(stack, 'ArtifactKey');
const artifacts = new s3.Bucket(stack, 'Artifacts', { encryptionKey: artifactKey });
const tuned = new FlinkApplication(stack, 'Tuned', {
  code: FlinkApplicationCode.fromBucket(artifacts, 'flink/app-1.0.jar', 'v42'),
  input: FlinkInput.fromStream(stream, { enhancedFanOut: true, metricId: 'clicks_source' }),
  runtime: FlinkRuntime.FLINK_1_19,
  applicationName: 'clicks-sessions',
  parallelism: 8, parallelismPerKpu: 2, autoScalingEnabled: false,
  checkpointInterval: Duration.seconds(30), minPauseBetweenCheckpoints: Duration.seconds(10), snapshotsEnabled: false,
  logLevel: FlinkLogLevel.WARN, metricsLevel: FlinkMetricsLevel.TASK,
  propertyGroups: [{ id: 'InputStream', properties: { 'stream.name': stream.streamName, 'aws.region': 'us-east-1' } }],
  network: AnalyticsNetwork.fromVpc(vpc),
  alarmThresholds: { millisBehindLatest: Duration.minutes(10) },
});
const template = Template.fromStack(stack);

const id = (x: { node: { defaultChild?: unknown } } | undefined) => stack.getLogicalId((x as { node: { defaultChild: never } }).node.defaultChild);
const ref = (x: { node: { defaultChild?: unknown } }) => ({ Ref: id(x) });
type PolicyJson = { Statement: Array<{ Sid: string }> };
const statementsOf = (app: FlinkApplication) =>
  (stack.resolve((app.role.policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument) as PolicyJson).Statement;
const statement = (app: FlinkApplication, sid: string) => statementsOf(app).find(s => s.Sid === sid);

describe('FlinkApplication defaults', () => {
  test('renders the application with every documented default, retained except on a failed create', () => {
    template.hasResource('AWS::KinesisAnalyticsV2::Application', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      DependsOn: Match.arrayWith([id(basic.role.policy)]),
      Properties: {
        ApplicationName: stack.resolve(basic.applicationName),
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: stack.resolve(basic.role.roleArn),
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: Match.anyValue(), FileKey: Match.stringLikeRegexp('^[0-9a-f]{64}\\.ts$') } },
          },
          ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
          FlinkApplicationConfiguration: {
            CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointingEnabled: true, CheckpointInterval: 60000, MinPauseBetweenCheckpoints: 5000 },
            MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'INFO', MetricsLevel: 'APPLICATION' },
            ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 1, ParallelismPerKPU: 1, AutoScalingEnabled: true },
          },
          EnvironmentProperties: Match.absent(),
          VpcConfigurations: Match.absent(),
        },
      },
    });
    expect(basic.applicationName).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
  });

  test('lets only Managed Service for Apache Flink acting for this one application of this account assume the role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{
        Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'kinesisanalytics.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnEquals: { 'aws:SourceArn': `arn:aws:kinesisanalytics:us-east-1:111111111111:application/${basic.applicationName}` },
        },
      }] },
    });
  });

  test('gives the role exactly the stream reads, the key through Kinesis, the code object and its own log stream', () => {
    expect(statementsOf(basic).map(s => s.Sid)).toEqual(['ReadInput', 'DecryptInput', 'ReadCode', 'DescribeLogGroups', 'DescribeLogStreams', 'WriteLogs']);
    expect(statement(basic, 'ReadInput')).toMatchObject({
      Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      Resource: stack.resolve(stream.streamArn),
    });
    expect(statement(basic, 'DecryptInput')).toMatchObject({
      Action: 'kms:Decrypt', Resource: stack.resolve(streamKey.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' } },
    });
    expect(statement(basic, 'ReadCode')).toMatchObject({ Action: 's3:GetObject' });
    expect(JSON.stringify(statement(basic, 'ReadCode'))).toMatch(/\/[0-9a-f]{64}\.ts"/);
    expect(statement(basic, 'WriteLogs')).toMatchObject({
      Action: 'logs:PutLogEvents',
      Resource: { 'Fn::Join': ['', ['arn:aws:logs:us-east-1:111111111111:log-group:', ref(basic.logGroup), ':log-stream:application']] },
    });
  });

  test('logs to its own log stream, in a log group encrypted with a new rotating key that CloudWatch Logs may use', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(basic.encryptionKey.keyArn), RetentionInDays: 365 });
    template.hasResourceProperties('AWS::Logs::LogStream', { LogGroupName: ref(basic.logGroup), LogStreamName: 'application' });
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption', {
      ApplicationName: ref(basic),
      CloudWatchLoggingOption: {
        LogStreamARN: { 'Fn::Join': ['', ['arn:aws:logs:us-east-1:111111111111:log-group:', ref(basic.logGroup), ':log-stream:', ref(basic.logStream)]] },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the logs of the Flink application Test/Basic',
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })]) },
    });
  });

  test('raises downtime, checkpoint failure, restart and falling-behind alarms on the application\'s own dimensions', () => {
    expect(basic.monitoring.alarms.map(a => a.node.id)).toEqual(['Downtime', 'CheckpointFailures', 'Restarts', 'FallingBehind']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/KinesisAnalytics', MetricName: 'downtime', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'Application', Value: basic.applicationName }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'DIFF(total)' }),
        Match.objectLike({ Id: 'total', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'fullRestarts' }), Stat: 'Maximum' }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'millisBehindLatest', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, Threshold: 60000,
      Dimensions: Match.arrayWith([{ Name: 'Application', Value: basic.applicationName }, { Name: 'Flow', Value: 'Input' },
        { Name: 'Id', Value: stack.resolve(stream.streamName) }]),
    });
  });
});

describe('FlinkApplication with every setting', () => {
  test('renders runtime, name, code version, parallelism, checkpoints, snapshots, logging level and properties as given', () => {
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationName: 'clicks-sessions',
      RuntimeEnvironment: 'FLINK-1_19',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContent: { S3ContentLocation: { BucketARN: stack.resolve(artifacts.bucketArn), FileKey: 'flink/app-1.0.jar', ObjectVersion: 'v42' } },
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: false },
        EnvironmentProperties: { PropertyGroups: [{ PropertyGroupId: 'InputStream', PropertyMap: { 'stream.name': ref(stream), 'aws.region': 'us-east-1' } }] },
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: { CheckpointInterval: 30000, MinPauseBetweenCheckpoints: 10000 },
          MonitoringConfiguration: { LogLevel: 'WARN', MetricsLevel: 'TASK' },
          ParallelismConfiguration: { Parallelism: 8, ParallelismPerKPU: 2, AutoScalingEnabled: false },
        },
        VpcConfigurations: [{
          SubnetIds: stack.resolve(vpc.privateSubnets.map(s => s.subnetId)),
          SecurityGroupIds: [{ 'Fn::GetAtt': [id(tuned.securityGroups[0] as ec2.SecurityGroup), 'GroupId'] }],
        }],
      },
    });
  });

  test('gives a VPC application a security group with no inbound rule and the documented network-interface permissions', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Network interfaces of the Flink application Test/Tuned',
      SecurityGroupIngress: Match.absent(),
    });
    expect(statement(tuned, 'VpcNetworkInterfaces')).toEqual({
      Sid: 'VpcNetworkInterfaces', Effect: 'Allow', Resource: '*',
      Action: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
    });
    expect(statement(basic, 'VpcNetworkInterfaces')).toBeUndefined();
  });

  test('acknowledges each wildcard of the role once, on its policy, with the reason of every statement that holds it', () => {
    const acks = (app: FlinkApplication) => (app.role.policy.node.defaultChild as iam.CfnManagedPolicy)
      .getMetadata('cdk_nag') as { rules_to_suppress: Array<{ id: string; reason: string; applies_to: string[] }> };
    const star = acks(tuned).rules_to_suppress.filter(r => r.applies_to.includes('Resource::*'));
    expect(star).toHaveLength(1);
    expect(star[0].reason).toContain('logs:DescribeLogGroups supports no resource-level permissions');
    expect(star[0].reason).toContain('creates and deletes the network interfaces of a VPC application');
    expect(acks(basic).rules_to_suppress.flatMap(r => r.applies_to).sort()).toEqual([
      'Resource::*', `Resource::arn:aws:logs:us-east-1:111111111111:log-group:<${id(basic.logGroup)}>:log-stream:*`,
    ]);
  });

  test('lets an enhanced fan-out source register its consumer on this stream only, and read the code version with the bucket key through S3', () => {
    expect(statement(tuned, 'RegisterInputConsumer')).toMatchObject({
      Action: ['kinesis:ListStreamConsumers', 'kinesis:RegisterStreamConsumer'], Resource: stack.resolve(stream.streamArn),
    });
    expect(statement(tuned, 'ReadInputConsumers')).toMatchObject({
      Action: ['kinesis:DeregisterStreamConsumer', 'kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'],
      Resource: { 'Fn::Join': ['', [stack.resolve(stream.streamArn), '/consumer/*']] },
    });
    expect(statement(tuned, 'ReadCode')).toMatchObject({
      Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [stack.resolve(artifacts.bucketArn), '/flink/app-1.0.jar']] },
    });
    expect(statement(tuned, 'DecryptCode')).toMatchObject({
      Action: 'kms:Decrypt', Resource: stack.resolve(artifactKey.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
  });

  test('leaves no unacknowledged finding of the four cdk-nag packs, in a VPC with enhanced fan-out as by default', () => {
    expect(nagFindings(basic)).toEqual([]);
    expect(nagFindings(tuned)).toEqual([]);
  });

  test('watches the source under the metric id given, with the threshold given', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'millisBehindLatest', Threshold: 600000,
      Dimensions: Match.arrayWith([{ Name: 'Application', Value: 'clicks-sessions' }, { Name: 'Id', Value: 'clicks_source' }]),
    });
  });

  test('watches numRestarts instead of fullRestarts on a Flink 2 runtime', () => {
    const s = testStack('Flink2');
    const app = new FlinkApplication(s, 'App', {
      code: FlinkApplicationCode.fromBucket(s3.Bucket.fromBucketName(s, 'B', 'artifacts'), 'app.jar'),
      input: FlinkInput.fromStream(kinesis.Stream.fromStreamArn(s, 'S', 'arn:aws:kinesis:us-east-1:111111111111:stream/s')),
      runtime: FlinkRuntime.of('FLINK-2_2'),
      dashboardEnabled: false,
    });
    const restarts = Stack.of(app).resolve((app.monitoring.alarms[2].node.defaultChild as cloudwatch.CfnAlarm).metrics);
    expect(JSON.stringify(restarts)).toContain('"metricName":"numRestarts"');
  });
});
