/**
 * Three consumers side by side on one lake: the defaults, every option set with the user's encrypted queue, and an
 * encrypted topic. One stack, synthesized once.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

import { ManagedPolicyRole, StreamingDataLake, StreamingDataLakeConsumerFailureDestination, StreamingDataLakeSchema } from '../../lib';
import { testStack } from '../util/app';

const stack: Stack = testStack();
const lake = new StreamingDataLake(stack, 'Lake', {
  schema: StreamingDataLakeSchema.fromColumns([{ name: 'user_id', type: glue.Schema.STRING }]),
  retentionPeriod: Duration.days(2),
});

function fn(name: string): lambda.Function {
  const role = new ManagedPolicyRole(stack, `${name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'), role,
  });
}

const queueKey = new kms.Key(stack, 'QueueKey');
const userQueue = new sqs.Queue(stack, 'UserQueue', { encryptionMasterKey: queueKey, encryption: sqs.QueueEncryption.KMS });
const topicKey = new kms.Key(stack, 'TopicKey');
const userTopic = new sns.Topic(stack, 'UserTopic', { masterKey: topicKey });

const defaults = lake.addConsumer('Defaults', { handler: fn('DefaultsFn') });
const tuned = lake.addConsumer('Tuned', {
  handler: fn('TunedFn'),
  consumerName: 'tuned-reader',
  startingPosition: lambda.StartingPosition.TRIM_HORIZON,
  batchSize: 2000,
  maxBatchingWindow: Duration.seconds(20),
  bisectBatchOnError: false,
  retryAttempts: 10,
  maxRecordAge: Duration.hours(6),
  parallelizationFactor: 4,
  reportBatchItemFailures: true,
  onFailure: StreamingDataLakeConsumerFailureDestination.sqsQueue(userQueue),
  alarmThresholds: { iteratorAge: Duration.minutes(1), errors: 5 },
});
const toTopic = lake.addConsumer('ToTopic', { handler: fn('ToTopicFn'), onFailure: StreamingDataLakeConsumerFailureDestination.snsTopic(userTopic) });

const template = Template.fromStack(stack);
const ref = (x: string) => stack.resolve(x);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

/** The statements of the managed policy of `fn`'s role. */
function roleStatements(f: lambda.IFunction): unknown[] {
  const policy = (f.role as ManagedPolicyRole).policy;
  return template.toJSON().Resources[id(policy)].Properties.PolicyDocument.Statement;
}

const region = 'us-east-1';

describe('StreamingDataLake.addConsumer', () => {
  test('registers one enhanced fan-out consumer per call on the lake\'s stream, named from its path unless named', () => {
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 3);
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', { StreamARN: ref(lake.stream.streamArn), ConsumerName: 'tuned-reader' });
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', { StreamARN: ref(lake.stream.streamArn),
      ConsumerName: Match.stringLikeRegexp('^TestLakeDefaults[A-F0-9]{8}$') });
    expect(defaults.lake).toBe(lake);
  });

  test('maps the function to its consumer with the documented defaults', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(defaults.handler.functionName),
      EventSourceArn: ref(defaults.streamConsumer.streamConsumerArn),
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: Match.absent(),
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: Match.absent(),
      ParallelizationFactor: Match.absent(),
      FunctionResponseTypes: Match.absent(),
      DestinationConfig: { OnFailure: { Destination: ref(defaults.failureQueue!.queueArn) } },
    });
  });

  test('takes every option given', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(tuned.streamConsumer.streamConsumerArn),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 2000,
      MaximumBatchingWindowInSeconds: 20,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21600,
      ParallelizationFactor: 4,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: ref(userQueue.queueArn) } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(toTopic.streamConsumer.streamConsumerArn),
      DestinationConfig: { OnFailure: { Destination: ref(userTopic.topicArn) } },
    });
    expect(tuned.failureQueue).toBeUndefined();
  });

  test('creates the default failure queue encrypted with the lake\'s key, TLS-only, keeping 14 days, retained', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { KmsMasterKeyId: ref(lake.encryptionKey.keyArn), MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(defaults.failureQueue!.queueUrl)],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('gives the function\'s role exact permissions: this stream, this consumer, the stream key through Kinesis, the failure queue and its key', () => {
    const streamRead = { Effect: 'Allow', Resource: ref(lake.stream.streamArn),
      Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'] };
    const decrypt = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: ref(lake.encryptionKey.keyArn),
      Condition: { StringEquals: { 'kms:ViaService': `kinesis.${region}.amazonaws.com` } } };
    const consumerActions = (c: typeof defaults) => ({ Effect: 'Allow', Action: ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'],
      Resource: ref(c.streamConsumer.streamConsumerArn) });
    expect(roleStatements(defaults.handler)).toEqual([
      streamRead, consumerActions(defaults), decrypt,
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref(defaults.failureQueue!.queueArn) },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ref(lake.encryptionKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } } },
    ]);
    expect(roleStatements(tuned.handler)).toEqual([
      streamRead, consumerActions(tuned), decrypt,
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref(userQueue.queueArn) },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ref(queueKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } } },
    ]);
    expect(roleStatements(toTopic.handler)).toEqual([
      streamRead, consumerActions(toTopic), decrypt,
      { Effect: 'Allow', Action: 'sns:Publish', Resource: ref(userTopic.topicArn) },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ref(topicKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } } },
    ]);
  });

  test('creates the mapping after the role\'s policy, which Lambda checks when it creates it', () => {
    const mapping = template.toJSON().Resources[id(defaults.eventSourceMapping)];
    expect(mapping.DependsOn).toEqual([id((defaults.handler.role as ManagedPolicyRole).policy)]);
  });

  test('alarms on the function\'s iterator age and errors, failed deliveries to the destination, and its own queue\'s messages', () => {
    expect(defaults.monitoring.alarms.map(a => a.node.id)).toEqual(['IteratorAge', 'Errors', 'DestinationDeliveryFailures', 'FailedBatches']);
    expect(tuned.monitoring.alarms.map(a => a.node.id)).toEqual(['IteratorAge', 'Errors', 'DestinationDeliveryFailures']);
    const fnDimension = (c: typeof defaults) => [{ Name: 'FunctionName', Value: ref(c.handler.functionName) }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum',
      Threshold: 300000, Dimensions: fnDimension(defaults), AlarmActions: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Threshold: 60000,
      Dimensions: fnDimension(tuned) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 5,
      Dimensions: fnDimension(tuned) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'DestinationDeliveryFailures', Threshold: 1,
      Dimensions: fnDimension(toTopic) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: ref(defaults.failureQueue!.queueName) }] });
  });

  test('notifies the lake\'s alarm topic and adds a row per consumer to the lake\'s dashboard, with no dashboard of its own', () => {
    const actions = (alarm: { node: { defaultChild?: unknown } }) => template.toJSON().Resources[id(alarm)].Properties.AlarmActions;
    const topic = actions(lake.monitoring.alarms[0]);
    expect(topic).toHaveLength(1);
    for (const c of [defaults, tuned, toTopic]) {
      for (const alarm of c.monitoring.alarms) expect(actions(alarm)).toEqual(topic);
      expect(c.monitoring.dashboard).toBeUndefined();
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const name of ['Defaults', 'Tuned', 'ToTopic']) expect(body).toContain(`## Consumer ${name}`);
  });
});
