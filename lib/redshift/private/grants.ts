import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import { validateAtSynth } from '../../core/validation';

const REDSHIFT_SERVICE = 'redshift.amazonaws.com';

/**
 * What reading the admin secret takes: the secret's value and description. Redshift creates the secret (it
 * manages the admin password), encrypted with the warehouse key.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html
 */
export const ADMIN_SECRET_READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

/**
 * The Data API calls that run SQL, scoped to the cluster (resource type `cluster`).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html
 */
export const DATA_API_RUN_ACTIONS = ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'];

/**
 * The Data API calls on the statements the caller ran. They have no resource type (IAM takes only `*`); the
 * `redshift-data:statement-owner-iam-userid` condition limits them to the caller's own statements, as the
 * AmazonRedshiftDataFullAccess policy does.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
 */
export const DATA_API_STATEMENT_ACTIONS = [
  'redshift-data:CancelStatement', 'redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:ListStatements',
];

/** The pieces of a warehouse the grants need. */
export interface WarehouseGrantTarget {
  readonly scope: IConstruct;
  readonly clusterIdentifier: string;
  readonly adminSecretArn: string;
  readonly encryptionKey: kms.IKey;
}

/** `secretsmanager:GetSecretValue`/`DescribeSecret` on the admin secret, and decrypt with its key through Secrets Manager only. */
export function grantAdminSecretRead(w: WarehouseGrantTarget, grantee: iam.IGrantable): iam.Grant {
  const secret = iam.Grant.addToPrincipal({ grantee, actions: ADMIN_SECRET_READ_ACTIONS, resourceArns: [w.adminSecretArn] });
  const decrypt = iam.Grant.addToPrincipal({
    grantee, actions: ['kms:Decrypt'], resourceArns: [w.encryptionKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(w.scope).region}.amazonaws.com` } },
  });
  return secret.combine(decrypt);
}

/**
 * SQL through the Data API, authenticated with the admin secret: run statements on this cluster, follow the caller's
 * own statements, and read the secret (the Data API reads it as the caller).
 */
export function grantDataApi(w: WarehouseGrantTarget, grantee: iam.IGrantable): iam.Grant {
  const cluster = Stack.of(w.scope).formatArn({
    service: 'redshift', resource: 'cluster', resourceName: w.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const run = iam.Grant.addToPrincipal({ grantee, actions: DATA_API_RUN_ACTIONS, resourceArns: [cluster] });
  const statements = iam.Grant.addToPrincipal({
    grantee, actions: DATA_API_STATEMENT_ACTIONS,
    // No resource type exists for these calls; the condition limits them to the caller's statements.
    resourceArns: ['*'],
    conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
  });
  return run.combine(statements).combine(grantAdminSecretRead(w, grantee));
}

/**
 * `redshift:GetClusterCredentials` for `databaseUser` on the warehouse database (and `JoinGroup` for the groups),
 * with `DescribeClusters` on the cluster: what temporary IAM database credentials take.
 */
export function grantConnect(w: WarehouseGrantTarget, databaseName: string, grantee: iam.IGrantable, databaseUser: string,
databaseGroups: string[]): iam.Grant {
  validateAtSynth(w.scope, v => {
    // Same rules as the admin user (CreateCluster, MasterUsername); groups are identifiers. https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
    v.matches('grantConnect databaseUser', databaseUser, /^[a-z][a-z0-9_+.@-]{0,127}$/,
      '1 to 128 lowercase letters, digits or the characters _ + . @ -, starting with a letter');
    databaseGroups.forEach((g, i) => v.matches(`grantConnect databaseGroups[${i}]`, g, /^[a-z_][a-z0-9_$]{0,126}$/,
      '1 to 127 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore'));
  });
  const arn = (resource: string, resourceName: string) =>
    Stack.of(w.scope).formatArn({ service: 'redshift', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const grant = iam.Grant.addToPrincipal({
    grantee, actions: ['redshift:DescribeClusters'], resourceArns: [arn('cluster', w.clusterIdentifier)],
  });
  grant.combine(iam.Grant.addToPrincipal({
    grantee, actions: ['redshift:GetClusterCredentials'],
    resourceArns: [arn('dbuser', `${w.clusterIdentifier}/${databaseUser}`), arn('dbname', `${w.clusterIdentifier}/${databaseName}`)],
  }));
  if (databaseGroups.length > 0) {
    grant.combine(iam.Grant.addToPrincipal({
      grantee, actions: ['redshift:JoinGroup'], resourceArns: databaseGroups.map(g => arn('dbgroup', `${w.clusterIdentifier}/${g}`)),
    }));
  }
  return grant;
}

/** The bucket policy that lets Redshift, for this cluster only, write its audit logs under `keyPrefix`. */
export function addAuditBucketPolicy(scope: IConstruct, clusterIdentifier: string, bucket: s3.IBucket, keyPrefix: string): void {
  // The Redshift service writes the logs; scope it to this cluster with aws:SourceArn.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing-manage-log-files.html#db-auditing-bucket-permissions
  const clusterArn = Arn.format({
    service: 'redshift', resource: 'cluster', resourceName: clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  }, Stack.of(scope));
  const conditions = { StringEquals: { 'aws:SourceArn': clusterArn } };
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: `RedshiftAuditPut${clusterIdentifier.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60),
    principals: [new iam.ServicePrincipal(REDSHIFT_SERVICE)],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${keyPrefix}*`)],
    conditions,
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: `RedshiftAuditAcl${clusterIdentifier.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60),
    principals: [new iam.ServicePrincipal(REDSHIFT_SERVICE)],
    actions: ['s3:GetBucketAcl'],
    resources: [bucket.bucketArn],
    conditions,
  }));
}
