import { Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { StreamingDataLake, StreamingDataLakeCapacity, StreamingDataLakeProps, StreamingDataLakeSchema } from '../../lib';
import { testStack } from '../util/app';
import { COLUMNS, errorsOf, HOURLY, SCHEMA } from './fixtures';

describe('StreamingDataLake removal policy', () => {
  test('keeps RETAIN and warns when DESTROY is asked without the context flag', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, removalPolicy: RemovalPolicy.DESTROY });
    const stream = stack.node.findAll().find(c => c instanceof kinesis.CfnStream) as kinesis.CfnStream;
    expect(stream.cfnOptions.deletionPolicy).toEqual('RetainExceptOnCreate');
  });

  test('destroys the stream when DESTROY is asked with the context flag', () => {
    const stack = testStack('Test', {}, { context: { 'cdk-analytics-blueprints:removeDataOnDestroy': 'true' } });
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, removalPolicy: RemovalPolicy.DESTROY });
    const stream = stack.node.findAll().find(c => c instanceof kinesis.CfnStream) as kinesis.CfnStream;
    expect(stream.cfnOptions.deletionPolicy).toEqual('Delete');
  });
});

describe('StreamingDataLake warnings', () => {
  const warnings = (props: Partial<StreamingDataLakeProps>) => {
    const stack = testStack();
    const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, ...props });
    return lake.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => m.data as string);
  };

  test('warns that a buffering interval under 60 seconds writes many small files', () => {
    expect(warnings({ bufferingInterval: Duration.seconds(30) })).toEqual([
      'bufferingInterval (30 seconds) is under 60 seconds: Firehose will write many small files, which slow down and raise the cost of ' +
      'Athena queries; use it for debugging only [ack: cdk-analytics-blueprints:streamingDataLakeSmallFiles]',
    ]);
  });

  test('does not warn at 60 seconds', () => {
    expect(warnings({ bufferingInterval: Duration.seconds(60) })).toEqual([]);
  });
});

describe('StreamingDataLake validation', () => {
  test('accepts valid props and unresolved tokens', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({
      capacity: StreamingDataLakeCapacity.provisioned(Token.asNumber({ Ref: 'Shards' })),
      retentionPeriod: Duration.hours(Token.asNumber({ Ref: 'Hours' })),
      bufferingInterval: Duration.seconds(Token.asNumber({ Ref: 'Interval' })),
      bufferingSize: Size.mebibytes(Token.asNumber({ Ref: 'Size' })),
      streamName: Token.asString({ Ref: 'Name' }),
      dataPrefix: Token.asString({ Ref: 'Prefix' }),
    })).toEqual([]);
    expect(errorsOf({
      capacity: StreamingDataLakeCapacity.provisioned(1), retentionPeriod: Duration.hours(8760), bufferingInterval: Duration.seconds(0),
      bufferingSize: Size.mebibytes(64),
    })).toEqual([]);
  });

  test('fails synth with every message, where aws-cdk-lib alone would stop at its first exception', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', {
      schema: SCHEMA, retentionPeriod: Duration.hours(12), bufferingSize: Size.mebibytes(32),
      partitionKeys: [{ name: 'year', query: '.y' }], bufferingInterval: Duration.seconds(10),
    });
    let message = '';
    try {
      Template.fromStack(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const part of ['retentionPeriod (12 hours)', 'bufferingInterval (10 seconds)', 'bufferingSize (32 MiB)', "partitionKeys[0].name ('year')"]) {
      expect(message).toContain(`[Test/Lake] ${part}`);
    }
  });

  test('reports every problem at once', () => {
    expect(errorsOf({ capacity: StreamingDataLakeCapacity.provisioned(0), retentionPeriod: Duration.hours(12) })).toEqual([
      'Test/Lake: capacity.shardCount (0) must be a whole number of at least 1',
      'Test/Lake: retentionPeriod (12 hours) must be between 24 and 8760 hours',
    ]);
  });

  test.each([
    ['a fractional shard count', { capacity: StreamingDataLakeCapacity.provisioned(1.5) },
      'capacity.shardCount (1.5) must be a whole number of at least 1'],
    ['a retention over a year', { retentionPeriod: Duration.days(366) }, 'retentionPeriod (8784 hours) must be between 24 and 8760 hours'],
    ['a stream name with a space', { streamName: 'my stream' }, "streamName ('my stream') must be 1 to 128 letters, digits, _, - or ."],
    ['a delivery stream name over 64 characters', { deliveryStreamName: 'x'.repeat(65) },
      `deliveryStreamName ('${'x'.repeat(65)}') must be 1 to 64 letters, digits, _, - or .`],
    ['a buffering interval over 900 seconds', { bufferingInterval: Duration.minutes(16) },
      'bufferingInterval (16 minutes) must be between 0 and 900 seconds'],
    ['a buffering size under the 64 MiB that conversion needs', { bufferingSize: Size.mebibytes(32) },
      'bufferingSize (32 MiB) must be between 64 and 128 MiB (record format conversion needs at least 64 MiB)'],
    ['a buffering size over 128 MiB', { bufferingSize: Size.mebibytes(256) },
      'bufferingSize (256 MiB) must be between 64 and 128 MiB (record format conversion needs at least 64 MiB)'],
    ['a data prefix with expressions', { dataPrefix: 'data/!{timestamp:yyyy}/' },
      "dataPrefix ('data/!{timestamp:yyyy}/') must be a static prefix without !{...} expressions: the construct appends the partitions"],
    ['a data prefix without a trailing slash', { dataPrefix: 'data' },
      "dataPrefix ('data') must end with '/', not start with '/' and have no empty segment ('//'), so that it is a folder of the table location"],
    ['an error prefix starting with a slash', { errorPrefix: '/errors/' },
      "errorPrefix ('/errors/') must end with '/', not start with '/' and have no empty segment ('//'), so that it is a folder of the table location"],
    ['an error prefix inside the data prefix', { errorPrefix: 'data/errors/' },
      "errorPrefix ('data/errors/') must not overlap dataPrefix ('data/'): the table reads everything under dataPrefix"],
    ['a data prefix whose partitions exceed 1024 characters', { dataPrefix: `${'d'.repeat(1000)}/` },
      `dataPrefix ('${'d'.repeat(1000)}/') with its partitions ('${'d'.repeat(1000)}/${HOURLY}') must be at most 1024 characters (got ${1001 + HOURLY.length})`],
    ['an iterator age alarm beyond the retention', { retentionPeriod: Duration.hours(24), alarmThresholds: { iteratorAge: Duration.hours(24) } },
      'alarmThresholds.iteratorAge (1 day) must be shorter than retentionPeriod (1 day), or records expire before the alarm fires'],
  ] as Array<[string, Partial<StreamingDataLakeProps>, string]>)('fails with %s', (_name, props, message) => {
    expect(errorsOf(props)).toEqual([`Test/Lake: ${message}`]);
  });

  describe('dynamic partitioning', () => {
    test('accepts keys of lowercase letters with queries, and a 60 second interval', () => {
      expect(errorsOf({ partitionKeys: [{ name: 'tenant_id', query: '.tenant' }], bufferingInterval: Duration.seconds(60) })).toEqual([]);
    });

    test.each([
      ['a buffering interval under 60 seconds', { partitionKeys: [{ name: 'tenant', query: '.tenant' }], bufferingInterval: Duration.seconds(30) },
        'bufferingInterval (30 seconds) must be between 60 and 900 seconds (dynamic partitioning needs at least 60 seconds)'],
      ['an uppercase key name', { partitionKeys: [{ name: 'Tenant', query: '.tenant' }] },
        "partitionKeys[0].name ('Tenant') must be lowercase letters, digits and underscores, starting with a letter or underscore (at most 255)"],
      ['a key named like a time partition', { partitionKeys: [{ name: 'day', query: '.day' }] },
        "partitionKeys[0].name ('day') must not be one of the time partitions (year, month, day, hour)"],
      ['a key that is also a column', { partitionKeys: [{ name: 'user_id', query: '.user_id' }] },
        "partitionKeys[0].name ('user_id') must not also be a column of the schema"],
      ['a key defined twice', { partitionKeys: [{ name: 'tenant', query: '.a' }, { name: 'tenant', query: '.b' }] },
        "partitionKeys[1].name ('tenant') must be unique among the partition keys"],
      ['an empty query', { partitionKeys: [{ name: 'tenant', query: ' ' }] },
        "partitionKeys[0].query (' ') must be a jq expression of 1 to 5120 characters, for example '.customer_id'"],
    ] as Array<[string, Partial<StreamingDataLakeProps>, string]>)('fails with %s', (_name, props, message) => {
      expect(errorsOf(props)).toEqual([`Test/Lake: ${message}`]);
    });
  });

  describe('transform', () => {
    const fn = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:f');

    test('accepts the limits of the Lambda buffering hints', () => {
      const stack = testStack();
      expect(errorsOf({ transform: { lambdaFunction: fn(stack), bufferInterval: Duration.seconds(900), bufferSize: Size.mebibytes(3), retries: 0 } },
        stack)).toEqual([]);
    });

    test('fails with Lambda buffering hints and retries outside their ranges', () => {
      const stack = testStack();
      expect(errorsOf({
        transform: { lambdaFunction: fn(stack), bufferInterval: Duration.minutes(20), bufferSize: Size.mebibytes(4), retries: -1 },
      }, stack)).toEqual([
        'Test/Lake: transform.bufferInterval (1200 seconds) must be between 0 and 900 seconds',
        'Test/Lake: transform.bufferSize (4 MiB) must be between 1 and 3 MiB',
        'Test/Lake: transform.retries (-1) must be a whole number of at least 0',
      ]);
    });
  });

  describe('schema', () => {
    test.each([
      ['no column', StreamingDataLakeSchema.fromColumns([]), 'schema.columns (0 columns) must have at least one column'],
      ['a column name with a dash', StreamingDataLakeSchema.fromColumns([{ name: 'user-id', type: glue.Schema.STRING }]),
        "schema.columns[0].name ('user-id') must be lowercase letters, digits and underscores, starting with a letter or underscore (at most 255)"],
      ['a column defined twice', StreamingDataLakeSchema.fromColumns([{ name: 'a', type: glue.Schema.STRING }, { name: 'a', type: glue.Schema.INTEGER }]),
        "schema.columns[1].name ('a') must be unique among the columns"],
      ['an uppercase table name', StreamingDataLakeSchema.fromColumns(COLUMNS, { tableName: 'Events' }),
        "schema.tableName ('Events') must be 1 to 255 lowercase letters, digits and underscores"],
      ['a projection year before 1970', StreamingDataLakeSchema.fromColumns(COLUMNS, { projectionFirstYear: 1900 }),
        'schema.projectionFirstYear (1900) must be a whole year between 1970 and 2099'],
      ['an existing table without a name', StreamingDataLakeSchema.fromTable({ database: glue.Database.fromDatabaseArn(testStack('Db'), 'Db', 'arn:aws:glue:us-east-1:111111111111:database/db'), tableName: '' }),
        "schema.tableName ('') must be 1 to 255 characters"],
    ])('fails with %s', (_name, schema, message) => {
      expect(errorsOf({ schema })).toEqual([`Test/Lake: ${message}`]);
    });
  });
});
