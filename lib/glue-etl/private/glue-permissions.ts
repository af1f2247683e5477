import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** Data Catalog actions a job needs to read tables and to add partitions and tables it writes. */
export const JOB_CATALOG_ACTIONS = [
  'glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions',
  'glue:BatchGetPartition', 'glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition',
  'glue:BatchCreatePartition', 'glue:UpdatePartition',
];

/** Data Catalog actions a crawler needs to create and update the tables and partitions it finds. */
export const CRAWLER_CATALOG_ACTIONS = [
  'glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable',
  'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:CreatePartition',
  'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:BatchUpdatePartition',
];

/** What a crawler also needs when it deletes or deprecates tables it no longer finds. */
export const CRAWLER_DELETE_ACTIONS = ['glue:DeleteTable', 'glue:BatchDeleteTable', 'glue:DeletePartition', 'glue:BatchDeletePartition'];

/**
 * Grants what every Glue job or crawler running in a VPC through a NETWORK connection needs, and
 * nothing about data: logs under `/aws-glue/<kind>`, job metrics, the ENIs Glue creates in the subnet,
 * the connection itself and the security configuration's key.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/create-service-policy.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 */
export function grantGlueRuntime(role: iam.IRole, kind: 'jobs' | 'python-jobs' | 'crawlers', connection: glue.IConnection | undefined,
  key: kms.IKey): void {
  const stack = Stack.of(role);
  const logGroups = stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: `/aws-glue/${kind}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  // Glue names its log groups at run time: /aws-glue/jobs/output, /aws-glue/jobs/error,
  // /aws-glue/jobs/logs-v2, and with a security configuration /aws-glue/jobs/<config>-role/<role>/...;
  // hence the prefix wildcard. AssociateKmsKey is what CloudWatch Logs encryption needs.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
    resources: [logGroups, `${logGroups}:*`],
  }));
  if (kind !== 'crawlers') {
    // PutMetricData has no resource-level permissions; the namespace condition limits it to Glue's own.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    }));
  }
  if (connection) {
    // Glue creates and deletes an ENI in the connection's subnet for every run. The Describe* calls
    // have no resource-level permissions, and the ENI ids are only known at run time.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [
        'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcAttribute', 'ec2:DescribeSecurityGroups',
      ],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['aws-glue-service-resource'] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['glue:GetConnection'],
      resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), connection.connectionArn],
    }));
  }
  key.grantEncryptDecrypt(role);
}

/** Grants Data Catalog `actions` on one database and its tables. */
export function grantCatalog(role: iam.IRole, database: glue.IDatabase, actions: string[]): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions,
    resources: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      database.databaseArn,
      // Tables are created by the crawler and the jobs at run time: their names are not known here.
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database.databaseName}/*` }),
    ],
  }));
}
