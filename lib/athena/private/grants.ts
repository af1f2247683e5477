import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { TABLE_READ_ACTIONS } from '../../streaming-data-lake/private/grants';
import { AthenaQueryTable } from '../query-table';

/**
 * What a user of the workgroup calls on it: run, follow, read and stop queries, read the workgroup's settings, and
 * list and read its saved (named) queries. Every action takes the workgroup as its resource.
 * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html
 */
export const WORKGROUP_QUERY_ACTIONS = [
  'athena:BatchGetNamedQuery', 'athena:BatchGetQueryExecution', 'athena:GetNamedQuery', 'athena:GetQueryExecution',
  'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetQueryRuntimeStatistics', 'athena:GetWorkGroup',
  'athena:ListNamedQueries', 'athena:ListQueryExecutions', 'athena:StartQueryExecution', 'athena:StopQueryExecution',
];

/**
 * What a query's caller needs on the results location: Athena writes the results (multipart) with the caller's
 * credentials and reads them back for `GetQueryResults`.
 * @see https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying.html
 */
export const RESULTS_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'];

/** Where the grant of one workgroup points. */
export interface QueryGrantTarget {
  readonly stack: Stack;
  readonly workGroupArn: string;
  readonly resultsBucket: s3.IBucket;
  readonly resultsPrefix: string;
  readonly resultsKey: kms.IKey;
  readonly tables: AthenaQueryTable[];
}

/**
 * Exactly what running queries in the workgroup over its tables takes, and nothing else: the workgroup's actions
 * on the workgroup; the Glue reads on the catalog, each table's database and the table; `s3:GetObject` under each
 * table's prefix, `s3:ListBucket` limited to it and `s3:GetBucketLocation`, `kms:Decrypt` on the table bucket's key
 * through S3; the results objects under the results prefix, listing limited to it, and the results key through S3.
 */
export function grantQuery(target: QueryGrantTarget, grantee: iam.IGrantable): iam.Grant {
  const { stack } = target;
  let grant = iam.Grant.addToPrincipal({ grantee, actions: WORKGROUP_QUERY_ACTIONS, resourceArns: [target.workGroupArn] });
  for (const table of target.tables) {
    grant = grant
      .combine(iam.Grant.addToPrincipal({ grantee, actions: TABLE_READ_ACTIONS, resourceArns: table.catalogArns(stack) }))
      .combine(readPrefix(stack, grantee, table.bucket, table.dataPrefix, ['s3:GetObject'], ['kms:Decrypt']));
  }
  return grant.combine(readPrefix(stack, grantee, target.resultsBucket, target.resultsPrefix, RESULTS_OBJECT_ACTIONS,
    ['kms:Decrypt', 'kms:GenerateDataKey'], target.resultsKey));
}

/** Object actions under `prefix`, listing limited to it, the bucket's location, and `keyActions` through S3. */
function readPrefix(stack: Stack, grantee: iam.IGrantable, bucket: s3.IBucket, prefix: string, objectActions: string[],
  keyActions: string[], key: kms.IKey | undefined = bucket.encryptionKey): iam.Grant {
  let grant = iam.Grant.addToPrincipalOrResource({
    grantee, actions: objectActions, resourceArns: [bucket.arnForObjects(`${prefix}*`)], resource: bucket,
  }).combine(iam.Grant.addToPrincipal({
    grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
  })).combine(iam.Grant.addToPrincipal({
    // Athena asks for the bucket's region before it reads or writes.
    grantee, actions: ['s3:GetBucketLocation'], resourceArns: [bucket.bucketArn],
  }));
  if (key) {
    // S3 calls KMS for the caller to decrypt (and, for results, encrypt) objects: through S3 only. A grantee of another
    // account cannot be given that by its own policy alone: it then goes through the key's policy.
    const viaS3 = iam.Grant.addToPrincipal({
      grantee, actions: keyActions, resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    });
    grant = grant.combine(viaS3.success ? viaS3 : key.grant(grantee, ...keyActions));
  }
  return grant;
}
