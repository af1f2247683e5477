/**
 * The run-time paths of a `StreamingDataLakeConsumer`: Lambda assumes the function's role, and with it the event
 * source mapping describes and reads the stream, subscribes to its shards through the consumer, decrypts the records
 * (Kinesis calls KMS), and sends the description of a failed batch to the failure destination (SQS or SNS calls KMS).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-create.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { StreamingDataLakeConsumer } from 'cdk-analytics-blueprints';

import { kinesisKms, viaService } from '../context';
import { AccessModel, AccessPath } from '../model';

/** Options of `streamingDataLakeConsumerPaths`. */
export interface ConsumerPathOptions {
  /** Other consumers of the same stream: this one's role must not subscribe through them. */
  readonly otherConsumers?: StreamingDataLakeConsumer[];
}

/** The paths of one consumer. */
export function streamingDataLakeConsumerPaths(m: AccessModel, consumer: StreamingDataLakeConsumer, options: ConsumerPathOptions = {}): AccessPath[] {
  const fn = consumer.handler as lambda.Function;
  const role = m.role(fn.role!);
  const lake = consumer.lake;
  const stream = m.arnOf(lake.stream);
  const consumerArn = m.arnOf(consumer.streamConsumer);
  const lakeKey = m.value(lake.encryptionKey.keyArn);
  const why = (s: string) => `${consumer.node.path}: ${s}`;

  const paths: AccessPath[] = [
    { why: why('Lambda assumes the function role'), principal: m.service('lambda.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(fn.role!), expect: 'allow' },
    ...['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords']
      .map((action): AccessPath => ({ why: why('the event source mapping describes and reads the stream'), principal: role, action,
        resource: stream, expect: 'allow' })),
    ...['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'].map((action): AccessPath => ({
      why: why('the event source mapping subscribes to the shards through its enhanced fan-out consumer'), principal: role, action,
      resource: consumerArn, expect: 'allow' })),
    { why: why('the records are decrypted with the stream key (Kinesis calls KMS for it)'), principal: role, action: 'kms:Decrypt',
      resource: lakeKey, context: kinesisKms(m, lake.stream), expect: 'allow' },
    // Least privilege.
    { why: why('the consumer cannot put records on the stream'), principal: role, action: 'kinesis:PutRecords', resource: stream, expect: 'deny' },
    { why: why('the consumer uses the stream key only through Kinesis'), principal: role, action: 'kms:Decrypt', resource: lakeKey, expect: 'deny' },
    { why: why('the consumer cannot register more consumers'), principal: role, action: 'kinesis:RegisterStreamConsumer', resource: stream,
      expect: 'deny' },
  ];
  for (const other of options.otherConsumers ?? []) {
    paths.push({ why: why(`the consumer cannot subscribe through ${other.node.id}'s enhanced fan-out consumer`), principal: role,
      action: 'kinesis:SubscribeToShard', resource: m.arnOf(other.streamConsumer), expect: 'deny' });
  }

  const { queue, topic } = consumer.failureDestination;
  if (queue) {
    const queueArn = m.value(queue.queueArn);
    paths.push(
      { why: why('Lambda sends a failed batch\'s description to the failure queue'), principal: role, action: 'sqs:SendMessage',
        resource: queueArn, expect: 'allow' },
      { why: why('the consumer cannot read the failure queue'), principal: role, action: 'sqs:ReceiveMessage', resource: queueArn, expect: 'deny' });
    if (queue.encryptionMasterKey) {
      // SQS calls KMS for the sender, with the queue's ARN as the encryption context.
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
      const context = { ...viaService(m, 'sqs'), 'kms:EncryptionContext:aws:sqs:arn': queueArn };
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        paths.push({ why: why('the failure queue\'s messages are encrypted with its key (SQS calls KMS for it)'), principal: role, action,
          resource: m.value(queue.encryptionMasterKey.keyArn), context, expect: 'allow' });
      }
    }
  }
  if (topic) {
    const topicArn = m.value(topic.topicArn);
    paths.push({ why: why('Lambda publishes a failed batch\'s description to the failure topic'), principal: role, action: 'sns:Publish',
      resource: topicArn, context: { 'aws:SecureTransport': 'true' }, expect: 'allow' });
    if (topic.masterKey) {
      const context = { ...viaService(m, 'sns'), 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        paths.push({ why: why('the failure topic\'s messages are encrypted with its key (SNS calls KMS for it)'), principal: role, action,
          resource: m.value(topic.masterKey.keyArn), context, expect: 'allow' });
      }
    }
  }
  return paths;
}
