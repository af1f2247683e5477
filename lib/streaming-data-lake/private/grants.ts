import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';

import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * What a producer needs to put records on a stream encrypted with a customer-managed key: the two put calls;
 * `ListShards`, which the KPL and the Kinesis Agent call to map partition keys to shards; and `DescribeStream` and
 * `DescribeStreamSummary`, with which producers check that the stream exists and is active before writing (the
 * Kinesis guide's minimum producer permissions).
 * @see https://docs.aws.amazon.com/streams/latest/dev/controlling-access.html
 * @see https://docs.aws.amazon.com/streams/latest/dev/tutorial-stock-data-kplkcl2-iam.html
 */
export const PRODUCER_STREAM_ACTIONS = [
  'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords',
];

/**
 * What a reader of the table needs from the Data Catalog: the database and table definitions and the partitions
 * (Athena, Spark and Trino list partitions even when the table has projection).
 * @see https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 */
export const TABLE_READ_ACTIONS = [
  'glue:BatchGetPartition', 'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTableVersion',
  'glue:GetTableVersions',
];

/**
 * `kms:GenerateDataKey` on the stream key, through Kinesis only: what a producer needs for server-side encryption
 * ("Permissions to use user-generated KMS keys"). Exact actions, so that the grantee's policy has no wildcard.
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
 */
export function grantProducer(lake: StreamingDataLake, stream: kinesis.IStream, grantee: iam.IGrantable): iam.Grant {
  const put = iam.Grant.addToPrincipalOrResource({
    grantee, actions: PRODUCER_STREAM_ACTIONS, resourceArns: [stream.streamArn], resource: stream,
  });
  return put.combine(grantKeyVia(lake, grantee, lake.encryptionKey, 'kms:GenerateDataKey', 'kinesis'));
}

/**
 * Read access to the delivered data and nothing else: the table's definition and partitions, `s3:GetObject` under
 * the data prefix, listing limited to that prefix, and decrypt through S3 only. The error prefix stays unreadable.
 */
export function grantReader(lake: StreamingDataLake, grantee: iam.IGrantable): iam.Grant {
  const stack = Stack.of(lake);
  const account = lake.catalogId;
  const glueArn = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName, account });
  const catalog = iam.Grant.addToPrincipal({
    grantee,
    actions: TABLE_READ_ACTIONS,
    resourceArns: [glueArn('catalog'), glueArn('database', lake.databaseName), glueArn('table', `${lake.databaseName}/${lake.tableName}`)],
  });
  const objects = iam.Grant.addToPrincipalOrResource({
    grantee, actions: ['s3:GetObject'], resourceArns: [lake.bucket.arnForObjects(`${lake.dataPrefix}*`)], resource: lake.bucket,
  });
  const list = iam.Grant.addToPrincipal({
    grantee, actions: ['s3:ListBucket'], resourceArns: [lake.bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [lake.dataPrefix, `${lake.dataPrefix}*`] } },
  });
  // Athena and the S3A/EMRFS clients ask for the bucket's region before reading it.
  const locate = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation'], resourceArns: [lake.bucket.bucketArn] });
  let grant = catalog.combine(objects).combine(list).combine(locate);
  if (lake.bucket.encryptionKey) {
    grant = grant.combine(grantKeyVia(lake, grantee, lake.bucket.encryptionKey, 'kms:Decrypt', 's3'));
  }
  return grant;
}

/**
 * `action` on `key` only when called through `service` in this region. A grantee in another account cannot be
 * given that by its own policy alone: it then goes through the key's policy (`Key.grant`), without the condition.
 */
export function grantKeyVia(lake: StreamingDataLake, grantee: iam.IGrantable, key: kms.IKey, action: string, service: string): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee, actions: [action], resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(lake).region}.amazonaws.com` } },
  });
  return grant.success ? grant : key.grant(grantee, action);
}
