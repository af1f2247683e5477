import { App, Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { ArchitectureMonitoring, DataBucket } from '../../lib';
import { acknowledgeNag } from '../../lib/core/nag';
import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { PropsValidator } from '../../lib/core/validation';
import { TEST_ENV, testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('PropsValidator', () => {
  const scope = () => new Construct(testStack('Checks'), 'Thing');

  test('collects every problem in one pass, each naming the path, property, given and allowed values', () => {
    const v = new PropsValidator(scope());
    v.integerInRange('shardCount', 0, 1, 500);
    v.oneOf('format', 'CSV', ['PARQUET', 'ORC']);
    v.multipleOf('dataNodes', 4, 3, 'availabilityZoneCount');
    expect(v.errors).toEqual([
      'Checks/Thing: shardCount (0) must be a whole number between 1 and 500',
      "Checks/Thing: format ('CSV') must be one of 'PARQUET', 'ORC'",
      'Checks/Thing: dataNodes (4) must be a multiple of availabilityZoneCount (3)',
    ]);
  });

  test('accepts valid values and skips unset ones', () => {
    const v = new PropsValidator(scope());
    v.integerInRange('a', 3, 1, 5);
    v.inRange('b', undefined, 1, 5);
    v.oneOf('c', 'ORC', ['PARQUET', 'ORC']);
    v.multipleOf('d', 6, 3, 'azs');
    v.durationInRange('e', Duration.minutes(5), Duration.seconds(0), Duration.seconds(900));
    v.sizeInRange('f', Size.mebibytes(64), Size.mebibytes(1), Size.mebibytes(128));
    v.countInRange('g', [1, 2], 1, 8);
    v.matches('h', 'abc', /^[a-z]+$/, 'lowercase letters');
    v.maxLength('i', 'abc', 3);
    v.atLeast('j', 2, 1);
    v.atMost('k', 2, 3);
    v.requires('l', true, true, 'm');
    v.exclusive('n', true, 'o', false);
    expect(v.errors).toEqual([]);
  });

  test('skips unresolved tokens instead of guessing', () => {
    const v = new PropsValidator(scope());
    v.integerInRange('shardCount', Token.asNumber({ Ref: 'Shards' }), 1, 500);
    v.oneOf('format', Token.asString({ Ref: 'Format' }), ['PARQUET']);
    v.durationInRange('interval', Duration.seconds(Token.asNumber({ Ref: 'S' })), Duration.seconds(0), Duration.seconds(900));
    v.sizeInRange('size', Size.mebibytes(Token.asNumber({ Ref: 'M' })), Size.mebibytes(1), Size.mebibytes(128));
    v.matches('name', Token.asString({ Ref: 'Name' }), /^x$/, 'x');
    v.countInRange('list', Token.asList({ Ref: 'L' }), 1, 1);
    expect(v.errors).toEqual([]);
  });

  test.each([
    ['inRange', (v: PropsValidator) => v.inRange('pct', 101, 0, 100, 'percent'), 'pct (101) must be between 0 and 100 percent'],
    ['atLeast', (v: PropsValidator) => v.atLeast('size', 10, 64, 'MiB'), 'size (10) must be at least 64 MiB'],
    ['atMost', (v: PropsValidator) => v.atMost('count', 9, 8), 'count (9) must be at most 8'],
    ['durationInRange', (v: PropsValidator) => v.durationInRange('interval', Duration.minutes(20), Duration.seconds(0), Duration.seconds(900)),
      'interval (1200 seconds) must be between 0 and 900 seconds'],
    ['sizeInRange', (v: PropsValidator) => v.sizeInRange('buffer', Size.mebibytes(256), Size.mebibytes(1), Size.mebibytes(128)),
      'buffer (256 MiB) must be between 1 and 128 MiB'],
    ['countInRange', (v: PropsValidator) => v.countInRange('queues', [1, 2, 3], 1, 2), 'queues (3 entries) must have between 1 and 2 entries'],
    ['matches', (v: PropsValidator) => v.matches('name', 'A!', /^[a-z]+$/, 'lowercase letters'), "name ('A!') must be lowercase letters"],
    ['maxLength', (v: PropsValidator) => v.maxLength('name', 'abcd', 3), "name ('abcd') must be at most 3 characters long (got 4)"],
    ['requires', (v: PropsValidator) => v.requires('warmNodes', true, false, 'dedicated master nodes'), 'warmNodes requires dedicated master nodes'],
    ['exclusive', (v: PropsValidator) => v.exclusive('groups', true, 'fleets', true), 'groups cannot be set together with fleets'],
    ['integerInRange rejects fractions', (v: PropsValidator) => v.integerInRange('n', 1.5, 1, 3), 'n (1.5) must be a whole number between 1 and 3'],
  ])('fails %s with a message naming the property and the allowed values', (_name, run, message) => {
    const v = new PropsValidator(scope());
    run(v);
    expect(v.errors).toEqual([`Checks/Thing: ${message}`]);
  });
});

describe('DataBucket with default props', () => {
  let stack: Stack;
  let template: Template;
  let lake: DataBucket;
  beforeAll(() => {
    stack = testStack();
    lake = new DataBucket(stack, 'Lake');
    template = Template.fromStack(stack);
  });

  test('encrypts with a rotating customer-managed key and S3 Bucket Keys', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [stack.getLogicalId(lake.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] },
          },
        }],
      },
    });
  });

  test('blocks public access, enforces bucket-owner ownership and versions objects', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: stack.getLogicalId(lake.serverAccessLogsBucket.node.defaultChild as s3.CfnBucket) },
        LogFilePrefix: 'access-logs/',
      },
    });
  });

  test('denies requests without TLS and below TLS 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(lake.bucket.node.defaultChild as s3.CfnBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('expires noncurrent versions after 90 days and aborts uploads after 7 days, with no transition', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }),
      LifecycleConfiguration: {
        Rules: [{
          Id: 'expire-noncurrent-and-abort-incomplete',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        }],
      },
    });
  });

  test('writes access logs to a separate SSE-S3 bucket that expires logs after 365 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });

  test('lets only the S3 logging service write access logs, only from this bucket and account', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(lake.serverAccessLogsBucket.node.defaultChild as s3.CfnBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: {
            ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [stack.getLogicalId(lake.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        })]),
      },
    });
  });

  test('retains buckets and key when the stack is deleted, except when their create rolls back', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      const resources = template.findResources(type);
      for (const r of Object.values(resources)) {
        expect(r).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      }
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges only what S3 itself forbids or what is opt-in (contract list)', () => {
    expect(nagAcknowledgments(lake)).toEqual([
      'AccessLogs/Resource AwsSolutions-S1',
      'AccessLogs/Resource HIPAA.Security-S3BucketLoggingEnabled',
      'AccessLogs/Resource HIPAA.Security-S3BucketReplicationEnabled',
      'AccessLogs/Resource HIPAA.Security-S3DefaultEncryptionKMS',
      'AccessLogs/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
      'AccessLogs/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      'AccessLogs/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
      'AccessLogs/Resource PCI.DSS.321-S3BucketLoggingEnabled',
      'AccessLogs/Resource PCI.DSS.321-S3BucketReplicationEnabled',
      'AccessLogs/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
      'Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
      'Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      'Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
  });

  test('writes the cdk-nag v2 metadata too, for audit tooling that reads templates', () => {
    template.hasResource('AWS::S3::Bucket', {
      Metadata: { cdk_nag: { rules_to_suppress: Match.arrayWith([Match.objectLike({ id: 'AwsSolutions-S1' })]) } },
    });
  });
});

describe('DataBucket options', () => {
  test('works the same in an app without feature flags (no ACL-based log delivery)', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'NoFlags', { env: TEST_ENV });
    new DataBucket(stack, 'Lake');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(JSON.stringify(template.toJSON())).not.toContain('LogDeliveryWrite');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' } })]) },
    });
  });

  test('renders typed lifecycle transitions', () => {
    const stack = testStack();
    new DataBucket(stack, 'Lake', {
      lifecycle: { infrequentAccessAfter: Duration.days(30), glacierAfter: Duration.days(180), noncurrentVersionExpiration: Duration.days(10) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 10 } }),
          { Id: 'transition-current', Status: 'Enabled', Transitions: [
            { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
            { StorageClass: 'GLACIER', TransitionInDays: 180 },
          ] },
        ],
      },
    });
  });

  test('uses a key, a log bucket and a name the user passes, and creates neither key nor log bucket', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
    new DataBucket(stack, 'Lake', { encryptionKey: key, serverAccessLogsBucket: logs, bucketName: 'my-lake', eventBridgeEnabled: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    Annotations.fromStack(stack).hasWarning('/Test/Lake', Match.stringLikeRegexp('serverAccessLogsBucket my-logs is imported'));
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'my-lake',
      LoggingConfiguration: { DestinationBucketName: 'my-logs' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  test('fails with every lifecycle and name problem at once', () => {
    const stack = testStack();
    new DataBucket(stack, 'Lake', {
      lifecycle: { infrequentAccessAfter: Duration.days(10), glacierAfter: Duration.days(20), noncurrentVersionExpiration: Duration.days(0) },
    });
    let message = '';
    try { Template.fromStack(stack); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('[Test/Lake] lifecycle.infrequentAccessAfter (10 days) must be at least 30 days (S3 Standard-IA minimum)');
    expect(message).toContain('[Test/Lake] lifecycle.glacierAfter (20 days) must be at least 30 days after lifecycle.infrequentAccessAfter (10 days)');
    expect(message).toContain('[Test/Lake] lifecycle.noncurrentVersionExpiration (0 days) must be at least 1 day');
  });

  test('keeps the default retention and warns when DESTROY is asked without the context flag', () => {
    const stack = testStack();
    new DataBucket(stack, 'Lake', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Lake', Match.stringLikeRegexp(`removalPolicy destroy is ignored.*${REMOVE_DATA_ON_DESTROY_CONTEXT}=true`));
  });

  test('destroys data and empties both buckets when DESTROY is asked with the context flag, and still passes nag', () => {
    const stack = testStack('Test', {}, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    new DataBucket(stack, 'Lake', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('ArchitectureMonitoring', () => {
  const metric = new cloudwatch.Metric({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds' });

  test('creates alarms that notify the topic on ALARM and OK, and a dashboard with an alarm row', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Topic');
    const m = new ArchitectureMonitoring(stack, 'Monitoring', {
      title: 'Streaming',
      alarmTopic: topic,
      alarms: [{ id: 'IteratorAge', metric, threshold: 60000, description: 'Consumers fall behind' }],
      sections: [{ title: 'Stream', widgets: [new cloudwatch.GraphWidget({ left: [metric] })] }],
    });
    const template = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 60000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: 'Consumers fall behind',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(m.alarms).toHaveLength(1);
    expect(JSON.stringify(template.toJSON())).toContain('# Streaming');
  });

  test('creates neither alarms nor dashboard when both are switched off', () => {
    const stack = testStack();
    new sns.Topic(stack, 'SomethingToDeploy');
    const m = new ArchitectureMonitoring(stack, 'Monitoring', {
      title: 'x', alarmsEnabled: false, dashboardEnabled: false,
      alarms: [{ id: 'A', metric, threshold: 1, description: 'd' }], sections: [],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(m.alarms).toEqual([]);
    expect(m.dashboard).toBeUndefined();
  });

  test('fails on a duplicate alarm id, naming it', () => {
    const stack = testStack();
    expect(() => new ArchitectureMonitoring(stack, 'Monitoring', {
      title: 'x', sections: [],
      alarms: [{ id: 'A', metric, threshold: 1, description: 'd' }, { id: 'A', metric, threshold: 2, description: 'd' }],
    })).toThrow("Test/Monitoring: alarm id 'A' is defined twice");
  });
});

describe('acknowledgeNag', () => {
  test('records the acknowledgment for cdk-nag 3 and the v2 metadata with applies_to', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'B');
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    acknowledgeNag(bucket,
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'A reason that is long enough to read.' },
      { id: 'AwsSolutions-IAM5[Action::s3:*]', reason: 'A reason that is long enough to read.' });
    expect(nagAcknowledgments(bucket)).toEqual(['. AwsSolutions-IAM5[Action::s3:*]', '. AwsSolutions-IAM5[Resource::*]']);
    expect(cfn.getMetadata('cdk_nag')).toEqual({ rules_to_suppress: [
      { id: 'AwsSolutions-IAM5', reason: 'A reason that is long enough to read.', applies_to: ['Resource::*', 'Action::s3:*'] },
    ] });
  });

  test('fails on a stack, and on a reason too short to review', () => {
    const stack = testStack();
    expect(() => acknowledgeNag(stack, { id: 'AwsSolutions-S1', reason: 'Long enough reason for the test.' }))
      .toThrow('Test: nag acknowledgments belong on a single resource, not on a stack or stage');
    expect(() => acknowledgeNag(new s3.Bucket(stack, 'B'), { id: 'AwsSolutions-S1', reason: 'ok' }))
      .toThrow('Test/B: the acknowledgment of AwsSolutions-S1 needs a reason a reviewer can check (20+ characters)');
  });
});
