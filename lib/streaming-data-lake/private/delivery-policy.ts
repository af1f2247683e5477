import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledgeNag, nagResourceId } from '../../core/nag';
import { StreamingDataLakeTransform } from '../options';
import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * The one policy of the Firehose role, written here so that every statement is scoped: this stream,
 * this table, the two prefixes, the two keys, the error log stream and the transform function.
 */
export function scopeDeliveryPolicy(lake: StreamingDataLake, dataPrefix: string, errorPrefix: string, catalogId: string,
  bucketKey: kms.IKey | undefined, transform: StreamingDataLakeTransform | undefined): void {
  const stack = Stack.of(lake);
  const glueArn = (resource: string, resourceName?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName, account: catalogId });
  const logStream = lake.errorLogGroup.node.findChild('S3Destination') as logs.LogStream;
  const statements = [
    // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
    new iam.PolicyStatement({
      sid: 'ReadSourceStream',
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
      resources: [lake.stream.streamArn],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptSourceStream',
      actions: ['kms:Decrypt'],
      resources: [lake.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `kinesis.${stack.region}.amazonaws.com` } },
    }),
    new iam.PolicyStatement({
      sid: 'LocateLakeBucket',
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [lake.bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'WriteUnderLakePrefixes',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: [lake.bucket.arnForObjects(`${dataPrefix}*`), lake.bucket.arnForObjects(`${errorPrefix}*`)],
    }),
    new iam.PolicyStatement({
      sid: 'ReadSchemaTable',
      actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
      resources: [glueArn('catalog'), glueArn('database', lake.databaseName), glueArn('table', `${lake.databaseName}/${lake.tableName}`)],
    }),
    new iam.PolicyStatement({
      sid: 'WriteErrorLog',
      actions: ['logs:PutLogEvents'],
      resources: [stack.formatArn({
        service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: `${lake.errorLogGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
      })],
    }),
  ];
  if (bucketKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'EncryptLakeObjects',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [bucketKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }));
  }
  if (transform) {
    statements.push(new iam.PolicyStatement({
      sid: 'InvokeTransform',
      actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
      resources: [transform.lambdaFunction.functionArn],
    }));
  }
  const policy = lake.deliveryPolicy;
  policy.addStatements(...statements);
  const reason = (prefix: string) => `Firehose writes objects with generated names under the '${prefix}' prefix only; ` +
    'the wildcard is the object name, the prefix is fixed.';
  acknowledgeNag(policy,
    { id: `AwsSolutions-IAM5[Resource::${nagResourceId(lake, lake.bucket.arnForObjects(`${dataPrefix}*`))}]`, reason: reason(dataPrefix) },
    { id: `AwsSolutions-IAM5[Resource::${nagResourceId(lake, lake.bucket.arnForObjects(`${errorPrefix}*`))}]`, reason: reason(errorPrefix) });
}
