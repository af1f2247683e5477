/**
 * The run-time paths of an `AthenaWorkgroup` for a principal granted `grantQuery`: Athena runs the query with the
 * caller's credentials, so the caller itself needs the workgroup, the table's catalog entries, the table's files and
 * key, and the results location and its key.
 * @see https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 */
import { AthenaWorkgroup, StreamingDataLake } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { s3Kms } from '../context';
import { AccessModel, AccessPath } from '../model';

/** The paths of `grantee`, granted `grantQuery` on `queries` over the table of `lake`. */
export function athenaQueryPaths(m: AccessModel, queries: AthenaWorkgroup, lake: StreamingDataLake, grantee: IConstruct): AccessPath[] {
  const role = m.role(grantee);
  const workgroup = m.value(queries.workGroupArn);
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  const database = m.value(lake.databaseName);
  const table = glue(`table/${database}/${m.value(lake.tableName)}`);
  const lakeBucket = m.value(lake.bucket.bucketArn);
  const dataObject = `${lakeBucket}/${lake.dataPrefix}event_type=click/year=2026/month=12/day=02/hour=10/delivery-1.parquet`;
  const resultsBucket = m.value(queries.resultsBucket.bucketArn);
  const resultObject = `${resultsBucket}/${queries.resultsPrefix}0123abcd-0000-4000-8000-000000000000.csv`;
  const resultsKey = m.value(queries.resultsEncryptionKey.keyArn);
  const why = (s: string) => `${queries.node.path}: ${s}`;
  const sse = { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': resultsKey };

  return [
    ...['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup',
      'athena:ListNamedQueries', 'athena:GetNamedQuery'].map((action): AccessPath => ({
      why: why('an analyst granted grantQuery runs, follows and reads queries in the workgroup'), principal: role, action, resource: workgroup,
      expect: 'allow' })),
    { why: why('an analyst granted grantQuery runs nothing in another workgroup (whose settings are not enforced)'), principal: role,
      action: 'athena:StartQueryExecution', resource: `arn:aws:athena:${m.region}:${m.account}:workgroup/primary`, expect: 'deny' },
    { why: why('an analyst granted grantQuery cannot change the workgroup (its cutoff, its results location)'), principal: role,
      action: 'athena:UpdateWorkGroup', resource: workgroup, expect: 'deny' },
    ...['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'].flatMap(action =>
      [glue('catalog'), glue(`database/${database}`), ...(action === 'glue:GetDatabase' ? [] : [table])].map((resource): AccessPath => ({
        why: why('Athena reads the table definition and partitions with the caller\'s credentials'), principal: role, action, resource,
        expect: 'allow' }))),
    { why: why('an analyst granted grantQuery reads no other table'), principal: role, action: 'glue:GetTable',
      resource: glue(`table/${database}/other_table`), expect: 'deny' },
    { why: why('Athena reads the table\'s files'), principal: role, action: 's3:GetObject', resource: dataObject, expect: 'allow' },
    { why: why('Athena lists the partition folder'), principal: role, action: 's3:ListBucket', resource: lakeBucket,
      context: { 's3:prefix': `${lake.dataPrefix}event_type=click/` }, expect: 'allow' },
    { why: why('Athena decrypts the table\'s files (S3 calls KMS for the caller)'), principal: role, action: 'kms:Decrypt',
      resource: m.value(lake.bucket.encryptionKey!.keyArn), context: s3Kms(m, lake.bucket, dataObject), expect: 'allow' },
    { why: why('an analyst granted grantQuery cannot write the lake'), principal: role, action: 's3:PutObject', resource: dataObject, expect: 'deny' },
    { why: why('an analyst granted grantQuery cannot read the error files'), principal: role, action: 's3:GetObject',
      resource: `${lakeBucket}/clicks-errors/format-conversion-failed/year=2026/month=12/day=02/x`, expect: 'deny' },
    { why: why('Athena writes the results, SSE-KMS with the workgroup key'), principal: role, action: 's3:PutObject', resource: resultObject,
      context: sse, expect: 'allow' },
    { why: why('Athena encrypts the results with the results key (S3 calls KMS for the caller)'), principal: role, action: 'kms:GenerateDataKey',
      resource: resultsKey, context: s3Kms(m, queries.resultsBucket, resultObject), expect: 'allow' },
    { why: why('Athena reads the results back for GetQueryResults'), principal: role, action: 's3:GetObject', resource: resultObject, expect: 'allow' },
    { why: why('Athena decrypts the results (S3 calls KMS for the caller)'), principal: role, action: 'kms:Decrypt', resource: resultsKey,
      context: s3Kms(m, queries.resultsBucket, resultObject), expect: 'allow' },
    { why: why('an analyst granted grantQuery lists only the results prefix'), principal: role, action: 's3:ListBucket', resource: resultsBucket,
      context: { 's3:prefix': 'other/' }, expect: 'deny' },
    { why: why('an analyst granted grantQuery deletes no result'), principal: role, action: 's3:DeleteObject', resource: resultObject, expect: 'deny' },
    { why: why('an analyst granted grantQuery uses the results key only through S3'), principal: role, action: 'kms:Decrypt', resource: resultsKey,
      expect: 'deny' },
  ];
}
