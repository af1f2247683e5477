import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';

import { PropsValidator, Shown, validateAtSynth } from '../../core/validation';
import { StreamingDataLakeConsumerOptions } from '../consumer-options';

/**
 * Enhanced fan-out consumers a stream can have registered. ("With On-demand Standard and Provisioned streams, you can
 * register up to 20 consumers per stream"; the 50 of On-demand Advantage streams is not the default, so 20 is checked.)
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
 * @see https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html
 */
export const MAX_CONSUMERS_PER_STREAM = 20;

/**
 * The limits Lambda's `CreateEventSourceMapping` and Kinesis' `RegisterStreamConsumer` enforce on a consumer, one check
 * per rule. `retentionPeriod` is the stream's, which the iterator-age alarm must stay under.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export function checkConsumerOptions(v: PropsValidator, o: StreamingDataLakeConsumerOptions, retentionPeriod: Duration): void {
  // ConsumerName: 1-128, [a-zA-Z0-9_.-]+. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
  v.matches('consumerName', o.consumerName, /^[a-zA-Z0-9_.-]{1,128}$/, '1 to 128 letters, digits, _, - or .');
  // StartingPosition AT_TIMESTAMP needs a timestamp this construct does not take.
  if (o.startingPosition !== undefined) {
    v.check(o.startingPosition === lambda.StartingPosition.LATEST || o.startingPosition === lambda.StartingPosition.TRIM_HORIZON,
      'startingPosition', o.startingPosition, 'must be LATEST or TRIM_HORIZON');
  }
  // BatchSize: Kinesis 1-10,000.
  v.integerInRange('batchSize', o.batchSize, 1, 10000);
  // MaximumBatchingWindowInSeconds: 0-300, an integer.
  wholeSecondsInRange(v, 'maxBatchingWindow', o.maxBatchingWindow, 0, 300);
  // MaximumRetryAttempts: -1 (infinite) or 0-10,000.
  if (o.retryAttempts !== undefined && !Token.isUnresolved(o.retryAttempts)) {
    v.check(Number.isInteger(o.retryAttempts) && o.retryAttempts >= -1 && o.retryAttempts <= 10000, 'retryAttempts', o.retryAttempts,
      'must be a whole number between -1 (retry until the records expire) and 10000');
  }
  // MaximumRecordAgeInSeconds: -1 (infinite, the default here when unset) or 60-604,800.
  wholeSecondsInRange(v, 'maxRecordAge', o.maxRecordAge, 60, 604800);
  // ParallelizationFactor: 1-10.
  v.integerInRange('parallelizationFactor', o.parallelizationFactor, 1, 10);

  const { queue, topic } = o.onFailure ?? {};
  const fifo = queue instanceof sqs.Queue ? queue.fifo : topic instanceof sns.Topic ? topic.fifo : false;
  // Lambda sends failure records to standard queues and topics only.
  // https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
  v.check(!fifo, 'onFailure', undefined, 'must be a standard SQS queue or SNS topic: Lambda does not send to FIFO destinations');

  const t = o.alarmThresholds ?? {};
  if (t.iteratorAge && !t.iteratorAge.isUnresolved()) {
    v.check(t.iteratorAge.toMilliseconds() > 0, 'alarmThresholds.iteratorAge', t.iteratorAge, 'must be longer than 0: the alarm would always be in ALARM');
    if (!retentionPeriod.isUnresolved()) {
      v.check(t.iteratorAge.toMilliseconds() < retentionPeriod.toMilliseconds(), 'alarmThresholds.iteratorAge', t.iteratorAge,
        `must be shorter than the stream's retentionPeriod (${retentionPeriod.toHumanString()}), or records expire before the alarm fires`);
    }
  }
  if (t.errors !== undefined && !Token.isUnresolved(t.errors)) {
    v.check(Number.isInteger(t.errors) && t.errors >= 1, 'alarmThresholds.errors', t.errors, 'must be a whole number of at least 1');
  }
}

/**
 * Registers, once per lake, the check of how many consumers the stream has: each `StreamingDataLakeConsumer` adds
 * itself to `consumers` and the count is read at synth, after every `addConsumer` call.
 */
export function registerConsumer(lake: IConstruct, consumer: IConstruct): void {
  let consumers = CONSUMERS.get(lake);
  if (!consumers) {
    const list: IConstruct[] = consumers = [];
    CONSUMERS.set(lake, list);
    // "You can register up to 20 consumers per stream."
    // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
    validateAtSynth(lake, v => v.check(list.length <= MAX_CONSUMERS_PER_STREAM, 'addConsumer', new Shown(`${list.length} consumers`),
      `must register at most ${MAX_CONSUMERS_PER_STREAM} enhanced fan-out consumers per stream (Kinesis' limit): ` +
      'fan the records out from one consumer, or read with a standard (shared-throughput) consumer'));
  }
  consumers.push(consumer);
}

const CONSUMERS = new WeakMap<IConstruct, IConstruct[]>();

/**
 * A whole number of seconds in `[min, max]` (a field Lambda takes in seconds, as an Integer):
 * MaximumBatchingWindowInSeconds 0-300, MaximumRecordAgeInSeconds -1 or 60-604,800.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
function wholeSecondsInRange(v: PropsValidator, property: string, value: Duration | undefined, min: number, max: number): void {
  if (value === undefined || value.isUnresolved()) return;
  const s = value.toSeconds({ integral: false });
  v.check(Number.isInteger(s) && s >= min && s <= max, property, new Shown(`${s} seconds`), `must be a whole number of seconds between ${min} and ${max}`);
}
