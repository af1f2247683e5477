import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'path';

import { ensureLogsCanUseKey } from '../../core/logs-key-policy';
import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeNag, acknowledgeWildcards } from '../../core/nag';

/**
 * Timeout of the Data API function. The handler stops calling the Data API 30 s before it (and cancels a statement
 * still running then), and CloudFormation waits at most `DATA_API_SERVICE_TIMEOUT` for the answer, so a cluster that
 * does not run the statement fails the deployment in minutes instead of the custom resource default of an hour.
 */
export const DATA_API_FUNCTION_TIMEOUT = Duration.minutes(5);
/** How long CloudFormation waits for the function's answer. */
export const DATA_API_SERVICE_TIMEOUT = Duration.minutes(6);

/** Props of `RedshiftDataApiFunction`. */
export interface RedshiftDataApiFunctionProps {
  readonly clusterIdentifier: string;
  /** The secret Redshift manages for the admin user. */
  readonly adminSecretArn: string;
  /** The key that encrypts the admin secret (and the function's log group). */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Lambda function behind a warehouse's SQL custom resources (external schemas, database groups): plain Node.js
 * with the runtime's AWS SDK, calling the Redshift Data API as the admin user through the admin secret. Its role may
 * run statements on this cluster only, follow only the statements it ran itself, and read only the admin secret.
 *
 * It runs outside any VPC: the Data API is a public AWS endpoint reached over HTTPS with IAM authentication, and the
 * Data API (not the function) connects to the cluster, so the function needs no network path to the cluster, no NAT
 * and no `redshift-data` interface endpoint in an isolated VPC.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html
 */
export class RedshiftDataApiFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: ManagedPolicyRole;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RedshiftDataApiFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/redshift/cluster/${props.clusterIdentifier}/data-api-function`,
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy,
    });
    ensureLogsCanUseKey(this, props.encryptionKey, this.logGroup);

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs SQL on Redshift cluster ${props.clusterIdentifier} through the Data API as its admin user (external schemas, groups)`,
    });
    const clusterArn = stack.formatArn({ service: 'redshift', resource: 'cluster', resourceName: props.clusterIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const followOwnStatements = new iam.PolicyStatement({
      sid: 'FollowOwnStatements',
      // These actions have no resource type: '*' is the only resource they take. The condition limits them to the
      // statements this role's session ran, as the AWS managed policy AmazonRedshiftQueryEditor does.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html
      // https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-policy-resources.resource-permissions.html#redshift-policy-resources.required-permissions.query-editor
      actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'],
      resources: ['*'],
      conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
    });
    [
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
      new iam.PolicyStatement({ sid: 'RunStatementsOnThisCluster', actions: ['redshift-data:ExecuteStatement'], resources: [clusterArn] }),
      followOwnStatements,
      // The Data API reads the secret with the caller's permissions; no redshift:GetClusterCredentials is needed
      // with SecretArn (that is for temporary credentials of a DbUser).
      // https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
      new iam.PolicyStatement({ sid: 'ReadAdminSecret', actions: ['secretsmanager:GetSecretValue'], resources: [props.adminSecretArn] }),
      // Secrets Manager decrypts the secret with the cluster key for the caller, with the secret's ARN as encryption context.
      // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
      new iam.PolicyStatement({
        sid: 'DecryptAdminSecret',
        actions: ['kms:Decrypt'],
        resources: [props.encryptionKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': props.adminSecretArn,
          },
        },
      }),
    ].forEach(statement => this.role.addToPrincipalPolicy(statement));

    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'data-api-handler')),
      description: `Runs SQL on Redshift cluster ${props.clusterIdentifier} through the Data API (external schemas, database groups)`,
      role: this.role,
      logGroup: this.logGroup,
      timeout: DATA_API_FUNCTION_TIMEOUT,
      memorySize: 256,
    });
    this.function.node.addDependency(this.role.allPolicies);

    const packs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];
    acknowledgeNag(this.function.node.defaultChild!,
      ...packs.map(pack => ({
        id: `${pack}-LambdaDLQ`,
        reason: 'Custom resource handler: it reports every failure to CloudFormation, which rolls the stack back, so a dead-letter queue would only hold events nobody replays.',
      })),
      ...packs.map(pack => ({
        id: `${pack}-LambdaConcurrency`,
        reason: 'CloudFormation invokes this custom-resource handler a few times per deployment, one event per resource; reserving concurrency fails in accounts whose Lambda quota is still 10.',
      })),
      ...packs.map(pack => ({
        id: `${pack}-LambdaInsideVPC`,
        reason: 'The function only calls the Redshift Data API, a public AWS endpoint with IAM authentication; the Data API connects to the cluster, so the function needs no VPC, NAT or interface endpoint.',
      })),
    );
    acknowledgeWildcards(this.role, {
      FollowOwnStatements: 'DescribeStatement, GetStatementResult and CancelStatement have no resource type; the statement-owner-iam-userid condition limits them to the statements this role ran.',
    });
  }
}

/** Where a SQL custom resource runs its statements, and what it must wait for. */
export interface DataApiTarget {
  readonly fn: RedshiftDataApiFunction;
  readonly clusterIdentifier: string;
  readonly databaseName: string;
  readonly adminSecretArn: string;
}

/**
 * A custom resource served by the warehouse's Data API function. CloudFormation waits for the answer at most
 * `DATA_API_SERVICE_TIMEOUT`. The resource itself holds nothing (DESTROY: CloudFormation must send it the Delete);
 * what its Delete does in the database is the handler's business and follows the properties.
 */
export function dataApiResource(scope: Construct, id: string, resourceType: string, target: DataApiTarget,
  properties: Record<string, unknown>): CustomResource {
  const resource = new CustomResource(scope, id, {
    serviceToken: target.fn.function.functionArn,
    resourceType,
    serviceTimeout: DATA_API_SERVICE_TIMEOUT,
    properties: {
      ClusterIdentifier: target.clusterIdentifier,
      Database: target.databaseName,
      SecretArn: target.adminSecretArn,
      ...properties,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  resource.node.addDependency(target.fn);
  return resource;
}
