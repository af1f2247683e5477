/**
 * Integration test of `StreamingDataLake`: a provisioned one-shard Kinesis stream, Firehose converting
 * JSON to Parquet with the Glue table's schema, and the lake bucket, all deleted by `cdk destroy`.
 *
 * On a real deployment the assertion stack checks that the stream is ACTIVE and encrypted with the
 * construct's key, that the Firehose stream is ACTIVE, reads that stream and converts to Parquet with the
 * table's schema, that the Glue table has partition projection on, then puts one JSON record on the stream
 * and waits until Firehose has written a Parquet file under `data/year=/month=/day=/hour=/` and no error
 * file under `errors/`.
 *
 * Cost while deployed: one shard-hour per hour plus a few cents of KMS, Firehose and S3.
 * Run: see test/integ/integ-app.ts.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StreamingDataLake, StreamingDataLakeCapacity, StreamingDataLakeSchema } from 'cdk-analytics-blueprints';

import { integApp, IntegAppOptions, integEnv, IntegPolicyStatement, IntegStack, verify } from './integ/integ-app';

/** Builds the integration test app (also used by the snapshot check, with a fixed env and outdir). */
export function streamingDataLakeIntegApp(options: IntegAppOptions = {}): App {
  const app = integApp(options);
  const env = options.env ?? integEnv();

  const stack = new IntegStack(app, 'IntegStreamingDataLake', { env });
  const lake = new StreamingDataLake(stack, 'Lake', {
    schema: StreamingDataLakeSchema.fromColumns([
      { name: 'user_id', type: glue.Schema.STRING },
      { name: 'page', type: glue.Schema.STRING },
      { name: 'duration_ms', type: glue.Schema.BIG_INT },
    ], { tableName: 'integ_clicks' }),
    capacity: StreamingDataLakeCapacity.provisioned(1),
    // The smallest buffers Parquet conversion accepts, so that the record below lands within minutes.
    bufferingInterval: Duration.seconds(60),
    bufferingSize: Size.mebibytes(64),
    errorLogRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const assertionStack = new Stack(app, 'IntegStreamingDataLakeAssertions', { env });
  const integ = new IntegTest(app, 'StreamingDataLakeInteg', {
    testCases: [stack],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });

  // The stream: ACTIVE, KMS with the construct's key, one provisioned shard, 24 hours of retention.
  const stream = verify(integ.assertions.awsApiCall('Kinesis', 'describeStreamSummary', { StreamName: lake.stream.streamName }),
    ExpectedResult.objectLike({
      StreamDescriptionSummary: {
        StreamStatus: 'ACTIVE',
        EncryptionType: 'KMS',
        KeyId: lake.encryptionKey.keyArn,
        RetentionPeriodHours: 24,
        OpenShardCount: 1,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
      },
    }));

  // The table: external, Parquet, partitions projected (no crawler needed).
  const table = verify(integ.assertions.awsApiCall('Glue', 'getTable', { DatabaseName: lake.databaseName, Name: lake.tableName }),
    ExpectedResult.objectLike({
      Table: {
        Name: 'integ_clicks',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { 'projection.enabled': 'true', 'classification': 'parquet' },
        PartitionKeys: [{ Name: 'year' }, { Name: 'month' }, { Name: 'day' }, { Name: 'hour' }],
      },
    }));

  // The delivery stream: ACTIVE, reading the stream, converting to Parquet with the table's schema.
  const delivery = verify(integ.assertions.awsApiCall('Firehose', 'describeDeliveryStream', {
    DeliveryStreamName: lake.deliveryStream.deliveryStreamName,
  }), ExpectedResult.objectLike({
    DeliveryStreamDescription: {
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'KinesisStreamAsSource',
      Source: { KinesisStreamSourceDescription: { KinesisStreamARN: lake.stream.streamArn } },
      Destinations: Match.arrayWith([Match.objectLike({
        ExtendedS3DestinationDescription: Match.objectLike({
          BucketARN: lake.bucket.bucketArn,
          Prefix: lake.dataOutputPrefix,
          DataFormatConversionConfiguration: Match.objectLike({
            Enabled: true,
            SchemaConfiguration: Match.objectLike({ DatabaseName: lake.databaseName, TableName: lake.tableName }),
            OutputFormatConfiguration: { Serializer: { ParquetSerDe: Match.objectLike({ Compression: 'SNAPPY' }) } },
          }),
        }),
      })]),
    },
  }));

  // End to end: one record in, one Parquet file out. Firehose reads a Kinesis source from LATEST, and it
  // is ACTIVE by now (the check above), so the record is read.
  const put = integ.assertions.awsApiCall('Kinesis', 'putRecord', {
    StreamName: lake.stream.streamName,
    PartitionKey: 'integ',
    Data: JSON.stringify({ user_id: 'integ-user', page: '/integ', duration_ms: 42 }),
  });
  // Writing to a KMS-encrypted stream needs the stream's key.
  put.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey'], Resource: [lake.encryptionKey.keyArn] });

  // listObjectsV2 is authorized by s3:ListBucket, which the automatic policy does not know.
  const listBucket: IntegPolicyStatement = { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [lake.bucket.bucketArn] };
  const dataFile = verify(integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: lake.bucket.bucketName, Prefix: lake.dataPrefix }),
    ExpectedResult.objectLike({
      Contents: Match.arrayWith([Match.objectLike({
        Key: Match.stringLikeRegexp(`^${lake.dataPrefix}year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/.+`),
      })]),
    }),
    // A 60 s buffer, then conversion and the S3 write: a few minutes.
    { totalTimeout: Duration.minutes(15), interval: Duration.seconds(30), policy: [listBucket] });

  // The record matched the schema: nothing under the error prefix.
  const noErrors = verify(integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: lake.bucket.bucketName, Prefix: 'errors/' }),
    ExpectedResult.objectLike({ KeyCount: 0 }), { totalTimeout: Duration.minutes(1), policy: [listBucket] });

  stream.next(table).next(delivery).next(put).next(dataFile).next(noErrors);
  return app;
}

if (require.main === module) {
  streamingDataLakeIntegApp().synth();
}
