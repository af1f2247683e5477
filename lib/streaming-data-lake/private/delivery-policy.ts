import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeWildcards } from '../../core/nag';
import { StreamingDataLakeTransform } from '../options';
import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * The role Firehose assumes, whose one (managed) policy `scopeDeliveryPolicy` fills. Firehose assumes the role
 * on behalf of a delivery stream of this account: aws:SourceAccount, and aws:SourceArn the stream's ARN (exact when the
 * stream is named; by pattern otherwise, as the stream's generated name would make the role and the stream depend on
 * each other), as aws-cdk-lib's own Firehose HTTP-endpoint role does.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role
 */
export function createDeliveryRole(lake: Construct, deliveryStreamName: string | undefined): ManagedPolicyRole {
  const stack = Stack.of(lake);
  const deliveryStreamArn = stack.formatArn({ service: 'firehose', resource: 'deliverystream', resourceName: deliveryStreamName ?? '*' });
  return new ManagedPolicyRole(lake, 'DeliveryRole', {
    description: `Assumed by Firehose to deliver ${lake.node.path} to the lake`,
    assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': deliveryStreamArn },
      },
    }),
  });
}

/**
 * The one policy of the Firehose role, written here so that every statement is scoped: this stream,
 * this table, the data, error (and raw backup) prefixes, the two keys, the error log streams and the transform function.
 * A Direct PUT lake has no stream to read: Firehose uses the key of its own encryption through a grant it creates.
 */
export function scopeDeliveryPolicy(lake: StreamingDataLake, role: ManagedPolicyRole, dataPrefix: string, errorPrefix: string, catalogId: string,
  bucketKey: kms.IKey | undefined, transform: StreamingDataLakeTransform | undefined, rawPrefix: string | undefined): void {
  const stack = Stack.of(lake);
  const glueArn = (resource: string, resourceName?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName, account: catalogId });
  // The S3 destination's log stream, and the raw backup's when there is one.
  const logStreams = ['S3Destination', 'S3Backup'].map(id => lake.errorLogGroup.node.tryFindChild(id) as logs.LogStream | undefined)
    .filter((l): l is logs.LogStream => l !== undefined);
  const writablePrefixes = [dataPrefix, errorPrefix, ...rawPrefix ? [rawPrefix] : []];
  const statements: iam.PolicyStatement[] = [];
  if (!lake.source.isDirectPut) {
    statements.push(
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
      }));
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'LocateLakeBucket',
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [lake.bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'WriteUnderLakePrefixes',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: writablePrefixes.map(p => lake.bucket.arnForObjects(`${p}*`)),
    }),
    new iam.PolicyStatement({
      sid: 'ReadSchemaTable',
      actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
      resources: [glueArn('catalog'), glueArn('database', lake.databaseName), glueArn('table', `${lake.databaseName}/${lake.tableName}`)],
    }),
    new iam.PolicyStatement({
      sid: 'WriteErrorLog',
      actions: ['logs:PutLogEvents'],
      resources: logStreams.map(logStream => stack.formatArn({
        service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: `${lake.errorLogGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
      })),
    }),
  );
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
  statements.forEach(statement => role.addToPrincipalPolicy(statement));
  acknowledgeWildcards(role, {
    WriteUnderLakePrefixes: `Firehose writes objects with generated names under the prefixes ${writablePrefixes.map(p => `'${p}'`).join(', ')} only; ` +
      'the wildcard is the object name, the prefixes are fixed.',
  });
}
