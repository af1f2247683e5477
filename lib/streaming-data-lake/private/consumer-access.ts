import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { AlarmDefinition } from '../../core/monitoring';
import type { StreamingDataLakeConsumer } from '../consumer';
import { StreamingDataLakeConsumerFailureDestination } from '../consumer-options';
import type { StreamingDataLake } from '../streaming-data-lake';
import { grantKeyVia } from './grants';

/**
 * What Lambda's event source mapping calls on the stream with the function's role ("Lambda needs the following
 * permissions to manage resources related to your Kinesis data stream").
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-create.html
 */
export const CONSUMER_STREAM_ACTIONS = [
  'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards',
];

/**
 * What it calls on the registered consumer (the resource type of both actions in the Service Authorization Reference).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html
 */
export const CONSUMER_ACTIONS = ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'];

/**
 * The function role's exact permissions: read this stream, subscribe through this consumer only, decrypt with the
 * stream key through Kinesis only ("consumers must have the kms:Decrypt permission"), and send to the failure
 * destination, using its key through SQS or SNS only (a producer to an encrypted queue or topic needs
 * `kms:GenerateDataKey` and `kms:Decrypt`).
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function grantConsumer(lake: StreamingDataLake, stream: kinesis.IStream, consumer: kinesis.IStreamConsumer,
  destination: StreamingDataLakeConsumerFailureDestination, handler: lambda.IFunction): iam.Grant {
  const grantee = handler;
  let grant = iam.Grant.addToPrincipal({ grantee, actions: CONSUMER_STREAM_ACTIONS, resourceArns: [stream.streamArn] })
    .combine(iam.Grant.addToPrincipal({ grantee, actions: CONSUMER_ACTIONS, resourceArns: [consumer.streamConsumerArn] }))
    .combine(grantKeyVia(lake, grantee, lake.encryptionKey, 'kms:Decrypt', 'kinesis'));
  const queue = destination.queue;
  const topic = destination.topic;
  if (queue) {
    grant = grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] }));
    if (queue.encryptionMasterKey) {
      grant = grant.combine(grantKeyVia(lake, grantee, queue.encryptionMasterKey, 'kms:GenerateDataKey', 'sqs'))
        .combine(grantKeyVia(lake, grantee, queue.encryptionMasterKey, 'kms:Decrypt', 'sqs'));
    }
  } else if (topic) {
    grant = grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [topic.topicArn] }));
    if (topic.masterKey) {
      grant = grant.combine(grantKeyVia(lake, grantee, topic.masterKey, 'kms:GenerateDataKey', 'sns'))
        .combine(grantKeyVia(lake, grantee, topic.masterKey, 'kms:Decrypt', 'sns'));
    }
  }
  return grant;
}

/** The alarms of a consumer, each on one of its `metric*` methods; each threshold says why it is what it is. */
export function consumerAlarms(consumer: StreamingDataLakeConsumer, iteratorAge: Duration, errors: number): AlarmDefinition[] {
  const alarms: AlarmDefinition[] = [
    {
      id: 'IteratorAge',
      metric: consumer.metricIteratorAge(),
      threshold: iteratorAge.toMilliseconds(),
      description: `The consumer ${consumer.node.path} is more than ${iteratorAge.toHumanString()} behind the stream: the function is ` +
        'failing, throttled or too slow. Check its errors and duration; raise parallelizationFactor or batchSize.',
    },
    {
      id: 'Errors',
      metric: consumer.metricErrors(),
      threshold: errors,
      description: `The function of ${consumer.node.path} failed: its batches are retried (blocking their shards), then described in the ` +
        'failure destination. Check the function\'s logs.',
    },
    {
      id: 'DestinationDeliveryFailures',
      metric: consumer.metricDestinationDeliveryFailures(),
      // A batch given up on whose description could not be sent is lost without a trace.
      threshold: 1,
      description: `Lambda could not describe a failed batch of ${consumer.node.path} in the failure destination: check the function ` +
        'role\'s permissions on the destination and its key.',
    },
  ];
  if (consumer.failureQueue) {
    alarms.push({
      id: 'FailedBatches',
      metric: consumer.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
      // Every message is a batch the function gave up on: its records were skipped and must be replayed.
      threshold: 1,
      description: `Batches of ${consumer.node.path} were given up on and described in its failure queue: read the messages (shard, ` +
        'sequence numbers), fix the cause and replay those records from the stream.',
    });
  }
  return alarms;
}
