import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Where Lambda sends the description of a batch it gave up on (shard, sequence numbers, the error) once the retries
 * or the record age are exhausted, so that the records can be found in the stream and replayed. The records
 * themselves are not sent. An encrypted destination needs its key to let the function's role use it: the consumer
 * grants that in the role's policy.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
export class StreamingDataLakeConsumerFailureDestination {
  /** An SQS queue you own (standard, not FIFO: Lambda does not send to FIFO queues). */
  public static sqsQueue(queue: sqs.IQueue): StreamingDataLakeConsumerFailureDestination {
    return new StreamingDataLakeConsumerFailureDestination(queue, undefined);
  }

  /** An SNS topic you own (standard, not FIFO). */
  public static snsTopic(topic: sns.ITopic): StreamingDataLakeConsumerFailureDestination {
    return new StreamingDataLakeConsumerFailureDestination(undefined, topic);
  }

  /** The queue, for `sqsQueue()`. */
  public readonly queue?: sqs.IQueue;
  /** The topic, for `snsTopic()`. */
  public readonly topic?: sns.ITopic;

  private constructor(queue: sqs.IQueue | undefined, topic: sns.ITopic | undefined) {
    this.queue = queue;
    this.topic = topic;
  }
}

/**
 * Alarm thresholds of a `StreamingDataLakeConsumer`.
 */
export interface StreamingDataLakeConsumerAlarmThresholds {
  /**
   * Alarm when the function's `IteratorAge` (the age of the last record of the last batch it received) exceeds this:
   * the consumer falls behind the stream. Must be shorter than the stream's retention period.
   * @default Duration.minutes(5)
   */
  readonly iteratorAge?: Duration;
  /**
   * Alarm when the function reports this many errors in 5 minutes (each failed batch is retried, and blocks its shard
   * meanwhile).
   * @default 1
   */
  readonly errors?: number;
}

/**
 * What a consumer of a `StreamingDataLake` reads and how its event source mapping batches, retries and reports.
 * The ranges are the Lambda `CreateEventSourceMapping` limits, checked at synth.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export interface StreamingDataLakeConsumerOptions {
  /**
   * The function that processes the records. Its execution role gets the read, decrypt and failure-destination
   * permissions; give it a role whose statements land in a managed policy (`ManagedPolicyRole`) to keep the compliance
   * packs clean.
   */
  readonly handler: lambda.IFunction;
  /**
   * Name of the enhanced fan-out consumer: 1 to 128 letters, digits, `_`, `-` or `.`, unique on the stream.
   * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
   * @default - generated from the construct path
   */
  readonly consumerName?: string;
  /**
   * Where a new consumer starts reading: `LATEST` (records put after the mapping is created) or `TRIM_HORIZON` (every
   * record the stream still retains, up to `retentionPeriod`: a first run that replays days of data).
   * @default lambda.StartingPosition.LATEST
   */
  readonly startingPosition?: lambda.StartingPosition;
  /**
   * Most records per invocation: 1 to 10,000 (the invocation payload is also capped at 6 MB).
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking, when the batch is not full: 0 to 300 seconds, whole seconds.
   * @default Duration.seconds(0)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Split a failing batch in two and retry each half, so that one bad record does not block its shard: the
   * failing record ends up alone, and goes to the failure destination.
   * @default true
   */
  readonly bisectBatchOnError?: boolean;
  /**
   * Retries of a failing batch: -1 (until the records expire) to 10,000. Each retry blocks its shard.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Give up on records older than this: 60 seconds to 7 days, whole seconds.
   * @default - records are retried until they expire from the stream (Lambda's -1)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Batches processed at once per shard: 1 to 10 (order is kept per partition key).
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Let the function return `batchItemFailures` so that only the failed records (and those after them) are retried.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
   * @default false
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Where the description of a batch given up on goes.
   * @default - a new SQS queue, encrypted with the lake's key, TLS-only, keeping messages 14 days
   */
  readonly onFailure?: StreamingDataLakeConsumerFailureDestination;
  /**
   * Alarm thresholds.
   * @default - see each threshold
   */
  readonly alarmThresholds?: StreamingDataLakeConsumerAlarmThresholds;
}
