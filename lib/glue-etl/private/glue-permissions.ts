import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

import { ManagedPolicyRole } from '../../core/managed-policy-role';

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
export function grantGlueRuntime(role: ManagedPolicyRole, kind: 'jobs' | 'python-jobs' | 'crawlers', connection: glue.IConnection | undefined,
  key: kms.IKey): void {
  const stack = Stack.of(role);
  const logGroups = stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: `/aws-glue/${kind}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  // Glue names its log groups at run time: /aws-glue/jobs/output, /aws-glue/jobs/error,
  // /aws-glue/jobs/logs-v2, and with a security configuration /aws-glue/jobs/<config>-role/<role>/...;
  // hence the prefix wildcard. AssociateKmsKey is what CloudWatch Logs encryption needs.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'WriteGlueLogs',
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
    resources: [logGroups, `${logGroups}:*`],
  }));
  if (kind !== 'crawlers') {
    // PutMetricData has no resource-level permissions; the namespace condition limits it to Glue's own.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishJobMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    }));
  }
  if (connection) {
    // Glue creates and deletes an ENI in the connection's subnet for every run. The Describe* calls
    // have no resource-level permissions, and the ENI ids are only known at run time.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ManageNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcAttribute', 'ec2:DescribeSecurityGroups',
      ],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'TagNetworkInterfaces',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['aws-glue-service-resource'] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadConnection',
      actions: ['glue:GetConnection'],
      resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), connection.connectionArn],
    }));
  }
  role._nameStatements({ UseSecurityConfigurationKey: '*' }, () => key.grantEncryptDecrypt(role));
}

/** Grants Data Catalog `actions` on one database and its tables. */
export function grantCatalog(role: ManagedPolicyRole, database: glue.IDatabase, actions: string[]): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'UseCatalog',
    actions,
    resources: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      database.databaseArn,
      // Tables are created by the crawler and the jobs at run time: their names are not known here.
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database.databaseName}/*` }),
    ],
  }));
}

/**
 * Why each statement of a job or crawler role holds a wildcard, by statement id (`acknowledgeWildcards`). Bucket and
 * key grants are aws-cdk-lib's: their action groups (`s3:GetObject*`, `kms:GenerateDataKey*`) come with them.
 */
export const GLUE_WILDCARD_REASONS: Record<string, string> = {
  WriteGlueLogs: 'Glue names its log groups and streams at run time under /aws-glue/ (e.g. /aws-glue/jobs/<security-configuration>-role/<role>/output).',
  PublishJobMetrics: 'cloudwatch:PutMetricData has no resource-level permissions; the cloudwatch:namespace condition limits it to Glue.',
  ManageNetworkInterfaces: 'ec2 Describe* and the ENI create/delete Glue performs for the NETWORK connection have no resource-level permissions.',
  TagNetworkInterfaces: 'Glue tags the ENIs it creates at run time; the ids are unknown and the statement only allows the aws-glue-service-resource tag key.',
  UseCatalog: 'Tables of the one pipeline database, created by crawlers and jobs at run time, so their names are unknown at deploy time.',
  UseSecurityConfigurationKey: 'Action groups of the aws-cdk-lib key grant (encrypt/decrypt); the statement names the security configuration key only.',
  UseLakeKey: "Action groups of aws-cdk-lib's bucket grants on the lake key (encrypt/decrypt); the statement names the lake key only.",
  ReadSources: "Objects under the lake prefixes this job or crawler reads, whose keys are produced at run time; s3:GetObject*, s3:GetBucket* and s3:List* are aws-cdk-lib's read grant.",
  WriteTargets: "Objects under the lake prefixes this job writes, whose keys the job chooses at run time; s3:Abort*, s3:DeleteObject* and the read groups are aws-cdk-lib's read/write grant.",
  WriteTemporary: "Glue's temporary files under the job's temporary prefix, named at run time; the action groups are aws-cdk-lib's read/write grant.",
  WriteSparkUiLogs: 'Spark UI event logs Glue writes under the Spark UI prefix, named at run time; the action groups are aws-cdk-lib\'s read/write grant.',
  ReadJobScripts: 'Read of the CDK asset bucket that holds the job script and libraries; asset keys are content hashes only known at synth.',
};
