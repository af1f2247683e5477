/**
 * The run-time paths of a `StreamingDataLake`: Firehose assumes its role, reads and decrypts the stream (none with
 * Direct PUT), reads the table schema, writes (only) under its two prefixes (three with a raw backup) with the bucket
 * key, logs its errors; CloudWatch Logs sources put records on the stream.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
 */
import { StreamingDataLake } from 'cdk-analytics-blueprints';

import { kinesisKms, s3Kms, source, viaService } from '../context';
import { AccessModel, AccessPath } from '../model';

/** Sample values of Firehose's prefix expressions, so that a path names one object Firehose would write. */
const EXPRESSION_SAMPLES: Record<string, string> = {
  'timestamp:yyyy': '2026', 'timestamp:MM': '12', 'timestamp:dd': '02', 'timestamp:HH': '10',
  'firehose:error-output-type': 'format-conversion-failed', 'firehose:random-string': 'a1b2c3',
};

/** An object key as Firehose writes it under `prefix`: each `!{...}` expression filled in. */
export function firehoseKey(prefix: string): string {
  return prefix.replace(/!\{([^}]+)\}/g, (_m, e: string) => EXPRESSION_SAMPLES[e] ?? (e.startsWith('partitionKeyFrom') ? 'click' : 'x'));
}

/** Options of `streamingDataLakePaths`. */
export interface StreamingDataLakePathOptions {
  /** Prefixes of the same bucket that belong to others: the delivery role must neither read nor write there. */
  readonly foreignPrefixes?: string[];
}

/** The paths of one lake. */
export function streamingDataLakePaths(m: AccessModel, lake: StreamingDataLake, options: StreamingDataLakePathOptions = {}): AccessPath[] {
  const role = m.role(lake.deliveryRole);
  const firehose = m.service('firehose.amazonaws.com');
  const directPut = lake.source.isDirectPut;
  const stream = directPut ? undefined : m.arnOf(lake.stream);
  const bucket = m.value(lake.bucket.bucketArn);
  const object = (key: string) => `${bucket}/${key}`;
  const dataObject = object(`${firehoseKey(m.value(lake.dataOutputPrefix))}delivery-1`);
  const errorObject = object(`${firehoseKey(m.value(lake.errorOutputPrefix))}delivery-1`);
  const keyArn = lake.bucket.encryptionKey ? m.value(lake.bucket.encryptionKey.keyArn) : undefined;
  const sse: Record<string, string> = keyArn
    ? { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } : {};
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  const database = m.value(lake.databaseName);
  const table = m.value(lake.tableName);
  const errorLog = m.value(lake.errorLogGroup.logGroupName);
  const errorStream = m.cfn.nameOf(m.logicalId(lake.errorLogGroup.node.findChild('S3Destination')));
  const lakeKey = m.value(lake.encryptionKey.keyArn);
  const why = (s: string) => `${lake.node.path}: ${s}`;

  const paths: AccessPath[] = [
    { why: why('Firehose assumes the delivery role'), principal: firehose, action: 'sts:AssumeRole', resource: m.arnOf(lake.deliveryRole),
      context: source(m, m.arnOf(lake.deliveryStream)), expect: 'allow' },
    ...['glue:GetTableVersions', 'glue:GetTable'].flatMap(action => [glue('catalog'), glue(`database/${database}`), glue(`table/${database}/${table}`)]
      .map((resource): AccessPath => ({ why: why('Firehose reads the table schema to convert records'), principal: role, action, resource, expect: 'allow' }))),
    { why: why('Firehose finds the bucket'), principal: role, action: 's3:GetBucketLocation', resource: bucket, expect: 'allow' },
    { why: why('Firehose lists its multipart uploads'), principal: role, action: 's3:ListBucketMultipartUploads', resource: bucket, expect: 'allow' },
    { why: why('Firehose writes data files under the data prefix'), principal: role, action: 's3:PutObject', resource: dataObject,
      context: sse, expect: 'allow' },
    { why: why('Firehose aborts a failed multipart upload under the data prefix'), principal: role, action: 's3:AbortMultipartUpload',
      resource: dataObject, expect: 'allow' },
    { why: why('Firehose writes failed records under the error prefix'), principal: role, action: 's3:PutObject', resource: errorObject,
      context: sse, expect: 'allow' },
    { why: why('Firehose logs delivery errors to its error log stream'), principal: role, action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:${m.region}:${m.account}:log-group:${errorLog}:log-stream:${errorStream}`, expect: 'allow' },
    // Least privilege.
    { why: why('Firehose never deletes lake objects'), principal: role, action: 's3:DeleteObject', resource: dataObject, expect: 'deny' },
    { why: why('Firehose writes nowhere outside its two prefixes'), principal: role, action: 's3:PutObject', resource: object('curated/part-0.parquet'),
      context: sse, expect: 'deny' },
    { why: why('Firehose reads nothing outside its two prefixes'), principal: role, action: 's3:GetObject', resource: object('curated/part-0.parquet'),
      expect: 'deny' },
    { why: why('Firehose reads no other table of the database'), principal: role, action: 'glue:GetTable', resource: glue(`table/${database}/other_table`),
      expect: 'deny' },
  ];
  if (stream) {
    paths.push(
      ...['kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'].map((action): AccessPath => ({
        why: why('Firehose reads the source stream'), principal: role, action, resource: stream, expect: 'allow' })),
      { why: why('Firehose decrypts the records of the stream (Kinesis calls KMS for it)'), principal: role, action: 'kms:Decrypt',
        resource: lakeKey, context: kinesisKms(m, lake.stream), expect: 'allow' },
      { why: why('Firehose does not put records on its source stream'), principal: role, action: 'kinesis:PutRecord', resource: stream, expect: 'deny' },
      { why: why('Firehose decrypts the stream only through Kinesis'), principal: role, action: 'kms:Decrypt', resource: lakeKey, expect: 'deny' });
  } else {
    // Direct PUT: Firehose encrypts its buffer through the grant it creates on the key (not modelled: KMS grants are
    // out of the simulator's scope), so the role itself needs no use of the key.
    paths.push(
      { why: why('the delivery role of a Direct PUT lake cannot decrypt with the lake key'), principal: role, action: 'kms:Decrypt',
        resource: lakeKey, context: viaService(m, 'firehose'), expect: 'deny' },
      { why: why('the delivery role of a Direct PUT lake reads no Kinesis stream'), principal: role, action: 'kinesis:GetRecords',
        resource: `arn:aws:kinesis:${m.region}:${m.account}:stream/any`, expect: 'deny' });
  }
  if (lake.rawBackupOutputPrefix) {
    const rawObject = object(`${firehoseKey(m.value(lake.rawBackupOutputPrefix))}delivery-1.gz`);
    const backupStream = m.cfn.nameOf(m.logicalId(lake.errorLogGroup.node.findChild('S3Backup')));
    paths.push(
      { why: why('Firehose writes the raw copy of every record under the raw backup prefix'), principal: role, action: 's3:PutObject',
        resource: rawObject, context: sse, expect: 'allow' },
      { why: why('Firehose aborts a failed multipart upload of a raw copy'), principal: role, action: 's3:AbortMultipartUpload',
        resource: rawObject, expect: 'allow' },
      { why: why('Firehose logs raw backup errors to its backup log stream'), principal: role, action: 'logs:PutLogEvents',
        resource: `arn:aws:logs:${m.region}:${m.account}:log-group:${errorLog}:log-stream:${backupStream}`, expect: 'allow' },
      { why: why('Firehose never deletes raw copies'), principal: role, action: 's3:DeleteObject', resource: rawObject, expect: 'deny' });
    if (keyArn) {
      paths.push({ why: why('Firehose encrypts the raw copies with the bucket key (S3 calls KMS for it)'), principal: role,
        action: 'kms:GenerateDataKey', resource: keyArn, context: s3Kms(m, lake.bucket, rawObject), expect: 'allow' });
    }
  }
  for (const prefix of options.foreignPrefixes ?? []) {
    paths.push(
      { why: why(`Firehose writes nothing under ${prefix}, which is not its own`), principal: role, action: 's3:PutObject',
        resource: object(`${prefix}part-0`), context: sse, expect: 'deny' },
      { why: why(`Firehose reads nothing under ${prefix}`), principal: role, action: 's3:GetObject', resource: object(`${prefix}part-0`), expect: 'deny' });
  }
  if (keyArn) {
    const kmsContext = s3Kms(m, lake.bucket, dataObject);
    paths.push(
      { why: why('Firehose encrypts the objects it writes with the bucket key (S3 calls KMS for it)'), principal: role,
        action: 'kms:GenerateDataKey', resource: keyArn, context: kmsContext, expect: 'allow' },
      { why: why('Firehose completes multipart uploads, which decrypts with the bucket key'), principal: role, action: 'kms:Decrypt',
        resource: keyArn, context: kmsContext, expect: 'allow' },
      { why: why('Firehose uses the lake key only through S3'), principal: role, action: 'kms:Decrypt', resource: keyArn,
        context: viaService(m, 'kinesis'), expect: 'deny' });
  }

  // CloudWatch Logs subscriptions put the log events on the stream with their role.
  const logSourceRoles = lake.node.children.filter(c => /^LogSourceRole\d+$/.test(c.node.id));
  for (const r of logSourceRoles) {
    const filter = lake.node.findChild(r.node.id.replace('Role', ''));
    const logGroup = m.cfn.str(m.cfn.resource(m.logicalId(filter)).Properties!.LogGroupName);
    const logGroupArn = `arn:aws:logs:${m.region}:${m.account}:log-group:${logGroup}`;
    paths.push(
      { why: why('CloudWatch Logs assumes the log source role'), principal: m.service('logs.amazonaws.com'), action: 'sts:AssumeRole',
        resource: m.arnOf(r), context: source(m, logGroupArn), expect: 'allow' },
      { why: why('CloudWatch Logs puts the subscribed events on the stream'), principal: m.role(r), action: 'kinesis:PutRecord', resource: stream!,
        expect: 'allow' },
      { why: why('CloudWatch Logs encrypts the records with the stream key (Kinesis calls KMS for it)'), principal: m.role(r),
        action: 'kms:GenerateDataKey', resource: lakeKey, context: kinesisKms(m, lake.stream), expect: 'allow' },
      { why: why('the log source role cannot read the stream'), principal: m.role(r), action: 'kinesis:GetRecords', resource: stream!, expect: 'deny' });
  }
  return paths;
}
