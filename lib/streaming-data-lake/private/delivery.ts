import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';

import { StreamingDataLakePartitionKey, StreamingDataLakeTransform } from '../options';
import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * The Firehose processors, in the order Firehose must run them: CloudWatch Logs decompression and message
 * extraction (log sources), jq extraction of the partition keys (dynamic partitioning), then the user's Lambda.
 * Lambda hints validation reported (`reported`) keep Firehose's defaults until fixed.
 */
export function deliveryProcessors(logSources: boolean, partitionKeys: StreamingDataLakePartitionKey[],
  transform: StreamingDataLakeTransform | undefined, reported: Set<string>): firehose.IDataProcessor[] | undefined {
  const processors: firehose.IDataProcessor[] = [];
  if (logSources) {
    processors.push(new firehose.DecompressionProcessor(), new firehose.CloudWatchLogProcessor({ dataMessageExtraction: true }));
  }
  if (partitionKeys.length > 0) {
    processors.push(firehose.MetadataExtractionProcessor.jq16(Object.fromEntries(partitionKeys.map(k => [k.name, k.query]))));
  }
  if (transform) {
    processors.push(new firehose.LambdaFunctionProcessor(transform.lambdaFunction, {
      bufferInterval: reported.has('transform.bufferInterval') ? undefined : transform.bufferInterval ?? Duration.seconds(60),
      bufferSize: reported.has('transform.bufferSize') ? undefined : transform.bufferSize ?? Size.mebibytes(1),
      retries: reported.has('transform.retries') ? undefined : transform.retries ?? 3,
    }));
  }
  return processors.length > 0 ? processors : undefined;
}

/**
 * Record format conversion with the schema of an existing table. aws-cdk-lib's SchemaConfiguration can only point at
 * a CfnTable of this app, so the conversion block is written on the CfnDeliveryStream (L1).
 */
export function convertWithExistingTable(lake: StreamingDataLake, inputFormat: firehose.IInputFormat, outputFormat: firehose.IOutputFormat): void {
  const cfnDelivery = lake.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream;
  const ext = cfnDelivery.extendedS3DestinationConfiguration as firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty;
  cfnDelivery.extendedS3DestinationConfiguration = {
    ...ext,
    dataFormatConversionConfiguration: {
      enabled: true,
      inputFormatConfiguration: inputFormat.createInputFormatConfig(),
      outputFormatConfiguration: outputFormat.createOutputFormatConfig(),
      schemaConfiguration: {
        roleArn: lake.deliveryRole.roleArn,
        catalogId: lake.catalogId,
        databaseName: lake.databaseName,
        tableName: lake.tableName,
        region: Stack.of(lake).region,
        versionId: 'LATEST',
      },
    },
  };
}
