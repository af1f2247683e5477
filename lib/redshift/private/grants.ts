import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

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
