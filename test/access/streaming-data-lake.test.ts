/**
 * Runtime access of examples/streaming-data-lake: every call the two lakes make at run time is allowed by
 * the synthesized policies, and what least privilege promises is denied.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

import { StreamingDataLakeStack } from '../../examples/streaming-data-lake';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { streamingDataLakePaths } from './architectures/streaming-data-lake';
import { kinesisKms, s3Kms } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = new StreamingDataLakeStack(testApp({ builtinCloudFormationValidation: false }), 'StreamingDataLake', { env: TEST_ENV });
// What users of the example attach to their own roles: an analyst reads the clicks, a producer writes them.
const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
stack.clickstream.grantReadData(analyst);
const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
stack.clickstream.grantWrite(producer);
const m = AccessModel.of(stack);

const lake = stack.clickstream;
const bucket = m.value(lake.bucket.bucketArn);
const clicks = `${bucket}/clicks/event_type=click/year=2026/month=12/day=02/hour=10/delivery-1.parquet`;
const clickErrors = `${bucket}/clicks-errors/format-conversion-failed/year=2026/month=12/day=02/delivery-1`;
const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
const clicksTable = glue(`table/${m.value(lake.databaseName)}/${m.value(lake.tableName)}`);

const userPaths: AccessPath[] = [
  { why: 'an analyst granted grantReadData reads the click files', principal: m.role(analyst), action: 's3:GetObject', resource: clicks, expect: 'allow' },
  { why: 'an analyst granted grantReadData decrypts them (S3 calls KMS for it)', principal: m.role(analyst), action: 'kms:Decrypt',
    resource: m.value(lake.bucket.encryptionKey!.keyArn), context: s3Kms(m, lake.bucket, clicks), expect: 'allow' },
  { why: 'an analyst granted grantReadData lists the data prefix', principal: m.role(analyst), action: 's3:ListBucket', resource: bucket,
    context: { 's3:prefix': 'clicks/event_type=click/' }, expect: 'allow' },
  { why: 'an analyst granted grantReadData cannot list the error prefix', principal: m.role(analyst), action: 's3:ListBucket', resource: bucket,
    context: { 's3:prefix': 'clicks-errors/' }, expect: 'deny' },
  { why: 'an analyst granted grantReadData cannot list the whole bucket', principal: m.role(analyst), action: 's3:ListBucket', resource: bucket,
    expect: 'deny' },
  { why: 'an analyst granted grantReadData finds the bucket region (Athena asks first)', principal: m.role(analyst), action: 's3:GetBucketLocation',
    resource: bucket, expect: 'allow' },
  { why: 'an analyst granted grantReadData uses the lake key only through S3', principal: m.role(analyst), action: 'kms:Decrypt',
    resource: m.value(lake.bucket.encryptionKey!.keyArn), expect: 'deny' },
  { why: 'an analyst granted grantReadData reads the table definition', principal: m.role(analyst), action: 'glue:GetTable', resource: clicksTable,
    expect: 'allow' },
  { why: 'an analyst granted grantReadData cannot read the error files', principal: m.role(analyst), action: 's3:GetObject', resource: clickErrors,
    expect: 'deny' },
  { why: 'an analyst granted grantReadData cannot read the app-logs lake', principal: m.role(analyst), action: 's3:GetObject',
    resource: `${bucket}/app-logs/year=2026/month=12/day=02/delivery-1.orc`, expect: 'deny' },
  { why: 'an analyst granted grantReadData cannot write', principal: m.role(analyst), action: 's3:PutObject', resource: clicks, expect: 'deny' },
  { why: 'a producer granted grantWrite puts records on the stream', principal: m.role(producer), action: 'kinesis:PutRecords',
    resource: m.arnOf(lake.stream), expect: 'allow' },
  { why: 'a producer granted grantWrite encrypts them with the stream key (Kinesis calls KMS for it)', principal: m.role(producer),
    action: 'kms:GenerateDataKey', resource: m.value(lake.encryptionKey.keyArn), context: kinesisKms(m, lake.stream), expect: 'allow' },
  { why: 'a producer granted grantWrite cannot read the stream', principal: m.role(producer), action: 'kinesis:GetRecords',
    resource: m.arnOf(lake.stream), expect: 'deny' },
  { why: 'a producer granted grantWrite uses the stream key only through Kinesis', principal: m.role(producer), action: 'kms:GenerateDataKey',
    resource: m.value(lake.encryptionKey.keyArn), expect: 'deny' },
  { why: 'a producer granted grantWrite cannot decrypt records', principal: m.role(producer), action: 'kms:Decrypt',
    resource: m.value(lake.encryptionKey.keyArn), context: kinesisKms(m, lake.stream), expect: 'deny' },
  { why: 'Firehose acting for a delivery stream of another account cannot assume the delivery role (aws:SourceAccount)',
    principal: m.service('firehose.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(lake.deliveryRole),
    context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:firehose:${m.region}:999999999999:deliverystream/x` }, expect: 'deny' },
];

describe('examples/streaming-data-lake: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...streamingDataLakePaths(m, stack.clickstream, { foreignPrefixes: ['app-logs/', 'app-logs-errors/'] }),
    ...streamingDataLakePaths(m, stack.appLogs, { foreignPrefixes: ['clicks/', 'clicks-errors/'] }),
    ...userPaths,
    ...generatedPaths(m),
  ]);
});
