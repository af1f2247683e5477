/**
 * Inputs aws-cdk-lib throws on while the lake builds its resources, and values inside typed classes: each is
 * reported at synth, with the construct path and the property, together with every other problem, and the
 * resource gets a safe stand-in. No test here synthesizes a template: `node.validate()` is enough.
 */
import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { StreamingDataLake, StreamingDataLakeFileFormat, StreamingDataLakeProps, StreamingDataLakeSchema } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const SCHEMA = StreamingDataLakeSchema.fromColumns([{ name: 'user_id', type: glue.Schema.STRING }]);

/** Every validation message of a lake built with `props` (construction must not throw). */
function errorsOf(props: Partial<StreamingDataLakeProps>, stack: Stack = testStack()): string[] {
  new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, ...props });
  return stack.node.findAll().flatMap(validationMessages);
}

/** The warnings the lake recorded, without their acknowledgment suffix. */
function warningsOf(props: Partial<StreamingDataLakeProps>): string[] {
  const stack = testStack();
  const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, ...props });
  return lake.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
}

const fn = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:f');

describe('StreamingDataLake: values aws-cdk-lib throws on, reported with the property instead', () => {
  test.each([
    ['a retention that is not a whole number of hours', { retentionPeriod: Duration.minutes(24 * 60 + 30) },
      'retentionPeriod (24.5 hours) must be a whole number of hours (Kinesis takes the retention in hours)'],
    ['a buffering interval that is not a whole number of seconds', { bufferingInterval: Duration.millis(90500) },
      'bufferingInterval (90.5 seconds) must be a whole number of seconds (Firehose takes the interval in seconds)'],
    ['a buffering size that is not a whole number of MiB', { bufferingSize: Size.kibibytes(64 * 1024 + 512) },
      'bufferingSize (64.5 MiB) must be a whole number of MiB (Firehose takes the size in MiB)'],
  ] as Array<[string, Partial<StreamingDataLakeProps>, string]>)('fails with %s', (_name, props, message) => {
    expect(errorsOf(props)).toEqual([`Test/Lake: ${message}`]);
  });

  test('fails with more than 50 dynamic partition keys (and the prefix they would make)', () => {
    const errors = errorsOf({ partitionKeys: Array.from({ length: 51 }, (_, i) => ({ name: `k${i}`, query: `.k${i}` })) });
    expect(errors).toContain('Test/Lake: partitionKeys (51 entries) must have between 0 and 50 entries');
    expect(errors.map(e => e.split(' ')[1])).toEqual(['partitionKeys', 'dataPrefix']);
  });

  test('fails with Lambda buffering hints that are not whole seconds or MiB', () => {
    const stack = testStack();
    expect(errorsOf({ transform: { lambdaFunction: fn(stack), bufferInterval: Duration.millis(1500), bufferSize: Size.kibibytes(1536) } }, stack))
      .toEqual([
        'Test/Lake: transform.bufferInterval (1.5 seconds) must be a whole number of seconds (Firehose takes the interval in seconds)',
        'Test/Lake: transform.bufferSize (1.5 MiB) must be a whole number of MiB (Firehose takes the size in MiB)',
      ]);
  });

  test('reports Parquet sizes under the SerDe minimums instead of throwing when the format is built', () => {
    expect(errorsOf({ fileFormat: StreamingDataLakeFileFormat.parquet({ blockSize: Size.mebibytes(10), pageSize: Size.kibibytes(10) }) })).toEqual([
      'Test/Lake: fileFormat.blockSize (10 MiB) must be at least 64 MiB (Firehose Parquet SerDe minimum)',
      'Test/Lake: fileFormat.pageSize (10 KiB) must be at least 64 KiB (Firehose Parquet SerDe minimum)',
    ]);
  });

  test('reports ORC sizes, ratios and stride outside the SerDe limits', () => {
    expect(errorsOf({
      fileFormat: StreamingDataLakeFileFormat.orc({
        blockSize: Size.mebibytes(1), stripeSize: Size.mebibytes(1), bloomFilterFalsePositiveProbability: 2, dictionaryKeyThreshold: -1,
        paddingTolerance: 1.5, rowIndexStride: 999,
      }),
    })).toEqual([
      'Test/Lake: fileFormat.blockSize (1 MiB) must be at least 64 MiB (Firehose ORC SerDe minimum)',
      'Test/Lake: fileFormat.stripeSize (1 MiB) must be at least 8 MiB (Firehose ORC SerDe minimum)',
      'Test/Lake: fileFormat.bloomFilterFalsePositiveProbability (2) must be between 0 and 1',
      'Test/Lake: fileFormat.dictionaryKeyThreshold (-1) must be between 0 and 1',
      'Test/Lake: fileFormat.paddingTolerance (1.5) must be between 0 and 1',
      'Test/Lake: fileFormat.rowIndexStride (999) must be a whole number of at least 1000',
    ]);
  });

  test('accepts the SerDe limits themselves', () => {
    const parquet = StreamingDataLakeFileFormat.parquet({ blockSize: Size.mebibytes(64), pageSize: Size.kibibytes(64) });
    expect(errorsOf({ fileFormat: parquet })).toEqual([]);
    expect(errorsOf({
      fileFormat: StreamingDataLakeFileFormat.orc({
        blockSize: Size.mebibytes(64), stripeSize: Size.mebibytes(8), bloomFilterFalsePositiveProbability: 1, dictionaryKeyThreshold: 0,
        paddingTolerance: 0, rowIndexStride: 1000,
      }),
    })).toEqual([]);
  });

  test('reports every problem of one lake together, where aws-cdk-lib would stop at its first exception', () => {
    expect(errorsOf({
      retentionPeriod: Duration.minutes(1470), bufferingInterval: Duration.millis(500), bufferingSize: Size.kibibytes(66048),
      fileFormat: StreamingDataLakeFileFormat.parquet({ blockSize: Size.mebibytes(1) }),
    })).toHaveLength(4);
  });
});

describe('StreamingDataLake: alarm thresholds', () => {
  test.each([
    ['an iterator age of zero', { alarmThresholds: { iteratorAge: Duration.seconds(0) } },
      'alarmThresholds.iteratorAge (0 seconds) must be longer than 0: the alarm would always be in ALARM'],
    ['a data freshness of zero', { alarmThresholds: { dataFreshness: Duration.seconds(0) } },
      'alarmThresholds.dataFreshness (0 seconds) must be longer than 0: the alarm would always be in ALARM'],
    ['a data freshness that is not a whole number of seconds', { alarmThresholds: { dataFreshness: Duration.millis(1500) } },
      'alarmThresholds.dataFreshness (1.5 seconds) must be a whole number of seconds (DeliveryToS3.DataFreshness is in seconds)'],
  ] as Array<[string, Partial<StreamingDataLakeProps>, string]>)('fails with %s', (_name, props, message) => {
    expect(errorsOf(props)).toEqual([`Test/Lake: ${message}`]);
  });

  test('warns when data freshness is shorter than the buffering interval: every delivery would raise it', () => {
    expect(warningsOf({ bufferingInterval: Duration.seconds(300), alarmThresholds: { dataFreshness: Duration.seconds(120) } })).toEqual([
      'alarmThresholds.dataFreshness (2 minutes) is not longer than bufferingInterval (5 minutes): records wait in the buffer that long on ' +
      'every delivery, so the alarm fires in normal operation [ack: cdk-analytics-blueprints:streamingDataLakeFreshnessUnderBuffer]',
    ]);
    expect(warningsOf({ alarmThresholds: { dataFreshness: Duration.minutes(15) } })).toEqual([]);
  });
});

describe('StreamingDataLake: values of the escape hatches', () => {
  test('warns on a Parquet or ORC compression Firehose does not list, naming the allowed ones', () => {
    expect(warningsOf({ fileFormat: StreamingDataLakeFileFormat.parquet({ compression: firehose.ParquetCompression.of('LZ4') }) })).toEqual([
      "fileFormat.compression ('LZ4') is not a Parquet compression Firehose documents (UNCOMPRESSED, GZIP, SNAPPY): Firehose rejects " +
      'the delivery stream unless it supports it by now [ack: cdk-analytics-blueprints:streamingDataLakeUnknownCompression]',
    ]);
    expect(warningsOf({ fileFormat: StreamingDataLakeFileFormat.orc({ compression: firehose.OrcCompression.of('LZO') }) })).toEqual([
      "fileFormat.compression ('LZO') is not an ORC compression Firehose documents (NONE, ZLIB, SNAPPY): Firehose rejects " +
      'the delivery stream unless it supports it by now [ack: cdk-analytics-blueprints:streamingDataLakeUnknownCompression]',
    ]);
    expect(warningsOf({ fileFormat: StreamingDataLakeFileFormat.parquet({ compression: firehose.ParquetCompression.of('GZIP') }) })).toEqual([]);
  });
});

describe('StreamingDataLake: messages read well', () => {
  test('no message shows Number.MAX_SAFE_INTEGER as a limit', () => {
    const stack = testStack();
    const messages = errorsOf({
      partitionKeys: Array.from({ length: 60 }, (_, i) => ({ name: `k${i}`, query: '' })),
      transform: { lambdaFunction: fn(stack), retries: 1.5 },
      fileFormat: StreamingDataLakeFileFormat.orc({ rowIndexStride: 1.5 }),
    }, stack);
    expect(messages.length).toBeGreaterThan(3);
    expect(messages.join('\n')).not.toContain('9007199254740991');
  });
});
