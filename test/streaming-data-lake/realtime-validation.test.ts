/**
 * The synth-time checks of the source modes, the raw backup and the consumers: each rule reported with the construct
 * path, the property, the allowed values and what was given, all together; the boundary values pass. No template is
 * synthesized: `node.validate()` is enough.
 */
import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';

import {
  StreamingDataLake, StreamingDataLakeCapacity, StreamingDataLakeConsumerFailureDestination, StreamingDataLakeConsumerOptions,
  StreamingDataLakeProps, StreamingDataLakeSchema, StreamingDataLakeSource,
} from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const SCHEMA = StreamingDataLakeSchema.fromColumns([{ name: 'user_id', type: glue.Schema.STRING }]);

function errorsOf(stack: Stack): string[] {
  return stack.node.findAll().flatMap(c => validationMessages(c));
}

function lakeErrors(props: Partial<StreamingDataLakeProps>): string[] {
  const stack = testStack();
  new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, ...props });
  return errorsOf(stack);
}

const fn = (stack: Stack, id = 'Fn') => lambda.Function.fromFunctionArn(stack, id, `arn:aws:lambda:us-east-1:111111111111:function:${id}`);

function consumerErrors(options: Partial<StreamingDataLakeConsumerOptions>): string[] {
  const stack = testStack();
  const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
  lake.addConsumer('Reader', { handler: fn(stack), ...options });
  return errorsOf(stack);
}

describe('StreamingDataLake: Direct PUT source', () => {
  test.each([
    ['capacity', { capacity: StreamingDataLakeCapacity.provisioned(2) }],
    ['retentionPeriod', { retentionPeriod: Duration.days(2) }],
    ['streamName', { streamName: 'clicks' }],
    ['logSources', { logSources: [{ logGroup: logs.LogGroup.fromLogGroupName(testStack(), 'G', 'app') }] }],
    ['alarmThresholds.iteratorAge', { alarmThresholds: { iteratorAge: Duration.minutes(5) } }],
  ] as Array<[string, Partial<StreamingDataLakeProps>]>)('fails with %s, which needs a stream', (property, props) => {
    expect(lakeErrors({ source: StreamingDataLakeSource.directPut(), ...props })).toEqual([
      `Test/Lake: ${property} requires a Kinesis stream source (StreamingDataLakeSource.kinesisStream()): a Direct PUT lake has no stream` +
        (property === 'logSources' ? ' (subscribe the log groups to a lake with a stream)' : ''),
    ]);
  });

  test('accepts a Direct PUT lake with every other prop, and the same props on a stream lake', () => {
    expect(lakeErrors({ source: StreamingDataLakeSource.directPut(), alarmThresholds: { dataFreshness: Duration.minutes(15) } })).toEqual([]);
    expect(lakeErrors({ source: StreamingDataLakeSource.kinesisStream(), capacity: StreamingDataLakeCapacity.provisioned(2),
      streamName: 'clicks' })).toEqual([]);
  });

  test('fails to add a consumer to a Direct PUT lake, naming the source to use instead', () => {
    const stack = testStack();
    const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, source: StreamingDataLakeSource.directPut() });
    expect(() => lake.addConsumer('Reader', { handler: fn(stack) })).toThrow(
      'Test/Lake/Reader: a consumer needs a Kinesis stream source; the lake Test/Lake has StreamingDataLakeSource.directPut() and no stream to consume');
    expect(() => lake.stream).toThrow('Test/Lake: a lake with StreamingDataLakeSource.directPut() has no Kinesis stream');
    expect(() => lake.metricIteratorAge()).toThrow('Test/Lake: a Direct PUT lake has no stream, so no iterator age');
  });
});

describe('StreamingDataLake: raw backup', () => {
  test.each([
    ['a prefix inside the data prefix', { prefix: 'data/raw/' }, 'rawBackup.prefix (\'data/raw/\') must not overlap dataPrefix (\'data/\'): ' +
      'the raw copies would mix with the table\'s files'],
    ['a prefix without a trailing slash', { prefix: 'raw' }, 'rawBackup.prefix (\'raw\') must end with \'/\', not start with \'/\' and ' +
      'have no empty segment (\'//\'), so that it is a folder of the table location'],
    ['a prefix with expressions', { prefix: 'raw/!{timestamp:yyyy}/' }, 'rawBackup.prefix (\'raw/!{timestamp:yyyy}/\') must be a static ' +
      'prefix without !{...} expressions: the construct appends the partitions'],
    ['zero buffering', { bufferingInterval: Duration.seconds(30) }, 'rawBackup.bufferingInterval (30 seconds) must be a whole number of ' +
      'seconds between 60 and 900 (zero buffering is not available for the S3 backup)'],
    ['a buffer over 128 MiB', { bufferingSize: Size.mebibytes(129) }, 'rawBackup.bufferingSize (129 MiB) must be a whole number of MiB between 1 and 128'],
    ['a fraction of a MiB', { bufferingSize: Size.kibibytes(1536) }, 'rawBackup.bufferingSize (1.5 MiB) must be a whole number of MiB between 1 and 128'],
    ['Standard-IA before 30 days', { infrequentAccessAfter: Duration.days(10) }, 'rawBackup.infrequentAccessAfter (10 days) must be at least 30 ' +
      'days (S3 Standard-IA minimum)'],
    ['Glacier less than 30 days after Standard-IA', { infrequentAccessAfter: Duration.days(30), glacierAfter: Duration.days(45) },
      'rawBackup.glacierAfter (45 days) must be at least 30 days after rawBackup.infrequentAccessAfter (30 days)'],
    ['an expiration not after the last transition', { glacierAfter: Duration.days(90), expiration: Duration.days(90) },
      'rawBackup.expiration (90 days) must be longer than the last transition (90 days)'],
    ['a fraction of a day', { expiration: Duration.hours(36) }, 'rawBackup.expiration (1 day 12 hours) must be a whole number of days ' +
      '(S3 counts lifecycle rules in days)'],
  ])('fails with %s', (_name, rawBackup, message) => {
    expect(lakeErrors({ rawBackup, errorPrefix: 'errors/' })).toEqual([`Test/Lake: ${message}`]);
  });

  test('fails with a prefix that overlaps the error prefix', () => {
    expect(lakeErrors({ rawBackup: { prefix: 'errors/raw/' } })).toEqual([
      'Test/Lake: rawBackup.prefix (\'errors/raw/\') must not overlap errorPrefix (\'errors/\'): the raw copies would mix with the failed records',
    ]);
  });

  test('fails with a lifecycle on an imported bucket, which takes no rules from this app; accepts a backup without one', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, bucket: s3.Bucket.fromBucketName(stack, 'B', 'shared-lake'),
      rawBackup: { expiration: Duration.days(30) } });
    expect(errorsOf(stack)).toEqual(['Test/Lake: rawBackup.expiration cannot be applied to an imported bucket, which takes no lifecycle rules ' +
      'from this app: pass a bucket defined in this app (an s3.Bucket, or DataBucket.bucket), or leave the raw objects\' lifecycle to the ' +
      'bucket\'s owner']);
    const ok = testStack();
    new StreamingDataLake(ok, 'Lake', { schema: SCHEMA, bucket: s3.Bucket.fromBucketName(ok, 'B', 'shared-lake'), rawBackup: {} });
    expect(errorsOf(ok)).toEqual([]);
  });

  test('accepts the limits themselves and an unresolved prefix', () => {
    expect(lakeErrors({ rawBackup: { prefix: 'raw/', bufferingInterval: Duration.seconds(60), bufferingSize: Size.mebibytes(1),
      infrequentAccessAfter: Duration.days(30), glacierAfter: Duration.days(60), expiration: Duration.days(61) } })).toEqual([]);
    expect(lakeErrors({ rawBackup: { bufferingInterval: Duration.seconds(900), bufferingSize: Size.mebibytes(128) } })).toEqual([]);
    expect(lakeErrors({ rawBackup: { prefix: Token.asString({ Ref: 'RawPrefix' }) } })).toEqual([]);
  });
});

describe('StreamingDataLakeConsumer: the limits of CreateEventSourceMapping and RegisterStreamConsumer', () => {
  test.each([
    ['a consumer name with a space', { consumerName: 'page counts' }, 'consumerName (\'page counts\') must be 1 to 128 letters, digits, _, - or .'],
    ['AT_TIMESTAMP, which needs a timestamp', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP },
      'startingPosition (\'AT_TIMESTAMP\') must be LATEST or TRIM_HORIZON'],
    ['an empty batch', { batchSize: 0 }, 'batchSize (0) must be a whole number between 1 and 10000'],
    ['a batch over 10,000 records', { batchSize: 10001 }, 'batchSize (10001) must be a whole number between 1 and 10000'],
    ['a batching window over 5 minutes', { maxBatchingWindow: Duration.seconds(301) },
      'maxBatchingWindow (301 seconds) must be a whole number of seconds between 0 and 300'],
    ['a batching window in milliseconds', { maxBatchingWindow: Duration.millis(1500) },
      'maxBatchingWindow (1.5 seconds) must be a whole number of seconds between 0 and 300'],
    ['retries under -1', { retryAttempts: -2 }, 'retryAttempts (-2) must be a whole number between -1 (retry until the records expire) and 10000'],
    ['retries over 10,000', { retryAttempts: 10001 }, 'retryAttempts (10001) must be a whole number between -1 (retry until the records expire) and 10000'],
    ['a record age under a minute', { maxRecordAge: Duration.seconds(59) }, 'maxRecordAge (59 seconds) must be a whole number of seconds between 60 and 604800'],
    ['a record age over 7 days', { maxRecordAge: Duration.days(8) }, 'maxRecordAge (691200 seconds) must be a whole number of seconds between 60 and 604800'],
    ['no parallelization', { parallelizationFactor: 0 }, 'parallelizationFactor (0) must be a whole number between 1 and 10'],
    ['a parallelization over 10', { parallelizationFactor: 11 }, 'parallelizationFactor (11) must be a whole number between 1 and 10'],
    ['an iterator-age alarm as long as the retention', { alarmThresholds: { iteratorAge: Duration.days(7) } },
      'alarmThresholds.iteratorAge (7 days) must be shorter than the stream\'s retentionPeriod (7 days), or records expire before the alarm fires'],
    ['an error alarm at 0', { alarmThresholds: { errors: 0 } }, 'alarmThresholds.errors (0) must be a whole number of at least 1'],
  ] as Array<[string, Partial<StreamingDataLakeConsumerOptions>, string]>)('fails with %s (construction does not throw)', (_name, options, message) => {
    expect(consumerErrors(options)).toEqual([`Test/Lake/Reader: ${message}`]);
  });

  test('fails with a FIFO failure queue, which Lambda does not send to', () => {
    const stack = testStack();
    const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
    const queue = new sqs.Queue(stack, 'Q', { fifo: true, encryption: sqs.QueueEncryption.KMS_MANAGED });
    lake.addConsumer('Reader', { handler: fn(stack), onFailure: StreamingDataLakeConsumerFailureDestination.sqsQueue(queue) });
    expect(errorsOf(stack)).toEqual(['Test/Lake/Reader: onFailure must be a standard SQS queue or SNS topic: Lambda does not send to FIFO destinations']);
  });

  test('reports every problem of one consumer together', () => {
    expect(consumerErrors({ batchSize: 0, parallelizationFactor: 11, retryAttempts: -2 })).toHaveLength(3);
  });

  test('accepts the limits themselves', () => {
    expect(consumerErrors({ consumerName: 'a'.repeat(128), batchSize: 10000, maxBatchingWindow: Duration.seconds(300), retryAttempts: -1,
      maxRecordAge: Duration.days(7), parallelizationFactor: 10, startingPosition: lambda.StartingPosition.TRIM_HORIZON })).toEqual([]);
    expect(consumerErrors({ batchSize: 1, maxBatchingWindow: Duration.seconds(0), retryAttempts: 10000, maxRecordAge: Duration.seconds(60),
      parallelizationFactor: 1, alarmThresholds: { iteratorAge: Duration.hours(167), errors: 1 } })).toEqual([]);
  });

  test('fails with a 21st consumer on one stream, once (Kinesis registers at most 20); 20 pass', () => {
    const build = (n: number) => {
      const stack = testStack();
      const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
      const handler = fn(stack);
      for (let i = 0; i < n; i++) lake.addConsumer(`Reader${i}`, { handler });
      return errorsOf(stack);
    };
    expect(build(20)).toEqual([]);
    expect(build(21)).toEqual(['Test/Lake: addConsumer (21 consumers) must register at most 20 enhanced fan-out consumers per stream ' +
      '(Kinesis\' limit): fan the records out from one consumer, or read with a standard (shared-throughput) consumer']);
  });
});
