import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeNag, acknowledgeWildcards } from '../../core/nag';
import { EmrDataAccess, EmrDataLocation } from '../data-location';

/** What the instance profile role may touch. */
export interface InstanceRoleAccess {
  readonly logBucket: s3.IBucket;
  readonly logPrefix: string;
  readonly dataLocations: EmrDataLocation[];
  /** The cluster's key: local disks, EBS, EMRFS SSE-KMS writes and logs. */
  readonly clusterKey: kms.IKey;
  /** Glue Data Catalog access, or undefined for none. */
  readonly glue?: GlueCatalogAccess;
  readonly certificates?: { readonly bucket: s3.IBucket; readonly objectArn: string };
}

/** The Glue databases the nodes may change, besides reading `default`. */
export interface GlueCatalogAccess {
  /** Databases whose tables and partitions the nodes may create and update; `['*']` for every database. */
  readonly databases: string[];
  /** Whether the nodes may also delete tables and partitions of those databases. */
  readonly deletes: boolean;
}

const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/**
 * The service role: the AWS managed `AmazonEMRServicePolicy_v2` (scoped by the
 * `for-use-with-amazon-emr-managed-policies` tag) plus the role's own customer-managed policy for what it
 * does not cover: passing this cluster's own roles and using the EBS encryption key.
 */
export function createServiceRole(scope: Construct, instanceRole: iam.IRole, localDiskKey: kms.IKey, autoScalingRole?: iam.IRole): ManagedPolicyRole {
  const stack = Stack.of(scope);
  const role = new ManagedPolicyRole(scope, 'ServiceRole', {
    description: `EMR service role of ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('elasticmapreduce.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'elasticmapreduce', resource: '*' }) },
      },
    }),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEMRServicePolicy_v2')],
  });
  const statements = [
    new iam.PolicyStatement({
      sid: 'PassInstanceRole',
      actions: ['iam:PassRole'],
      resources: [instanceRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
    // EMR launches instances with EBS volumes encrypted by the security configuration's key.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html#emr-encryption-localdisk
    new iam.PolicyStatement({ sid: 'UseEbsKey', actions: KMS_DATA_ACTIONS.concat(['kms:ReEncryptFrom', 'kms:ReEncryptTo']), resources: [localDiskKey.keyArn] }),
    new iam.PolicyStatement({
      sid: 'GrantEbsKeyToEc2',
      actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      resources: [localDiskKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }),
  ];
  if (autoScalingRole) {
    statements.push(new iam.PolicyStatement({
      sid: 'PassAutoScalingRole',
      actions: ['iam:PassRole'],
      resources: [autoScalingRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'application-autoscaling.amazonaws.com' } },
    }));
  }
  statements.forEach(statement => role.addToPrincipalPolicy(statement));
  acknowledgeNag(role.node.defaultChild!, {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]',
    reason: 'AmazonEMRServicePolicy_v2 is the scoped EMR service policy AWS maintains as EC2 and EMR evolve: it only acts on resources ' +
      'tagged for-use-with-amazon-emr-managed-policies=true, which this construct sets on its subnets and security groups.',
  });
  return role;
}

/**
 * The role of the cluster's EC2 instances; `createInstancePolicy` fills its customer-managed policy, scoped to the
 * log prefix, the data buckets, their keys and the Glue Data Catalog.
 */
export function createInstanceRole(scope: Construct): ManagedPolicyRole {
  return new ManagedPolicyRole(scope, 'InstanceRole', {
    description: `EC2 instance profile role of the EMR cluster ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
  });
}

/**
 * Fills the instance profile role's customer-managed policy: the log prefix, each data location's prefix with
 * exactly its access, the keys for what the nodes do with them, and the Glue Data Catalog (read `default`,
 * change only the given databases, delete only when asked).
 */
export function createInstancePolicy(scope: Construct, role: ManagedPolicyRole, access: InstanceRoleAccess): iam.ManagedPolicy {
  const statements: iam.PolicyStatement[] = [
    new iam.PolicyStatement({
      sid: 'ListLogBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [access.logBucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'WriteClusterLogs',
      actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
      resources: [access.logBucket.arnForObjects(`${access.logPrefix}*`)],
    }),
  ];
  statements.push(...dataStatements(access.dataLocations));
  if (access.certificates) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadTlsCertificates', actions: ['s3:GetObject'], resources: [access.certificates.objectArn] }));
  }
  statements.push(...keyStatements(access));
  if (access.glue) statements.push(...glueStatements(Stack.of(scope), access.glue));

  statements.forEach(statement => role.addToPrincipalPolicy(statement));
  const data = 'Spark, Hive and Trino read and write objects whose keys the jobs choose at run time, under the prefix of a data location the user ' +
    'passed (dataLocations), with exactly the access given for it.';
  const glue = 'Hive, Spark and Trino read and change tables and partitions whose names jobs choose at run time, in the Glue databases the user ' +
    'passed (glueDatabases) and read-only in `default`; limited to this account and region.';
  acknowledgeWildcards(role, {
    WriteClusterLogs: 'EMR writes logs under per-cluster, per-node keys it chooses at run time; access is limited to the log prefix of this cluster.',
    ReadData: data, WriteData: data, DeleteData: data,
    ReadGlueCatalog: glue, ChangeGlueTables: glue, DeleteGlueTables: glue,
  });
  return role.policy;
}

/** One statement per kind of object access, each on the prefixes that have it. */
function dataStatements(locations: EmrDataLocation[]): iam.PolicyStatement[] {
  if (locations.length === 0) return [];
  const arns = (pick: (l: EmrDataLocation) => boolean) => unique(locations.filter(pick).map(l => l.bucket.arnForObjects(`${l.prefix}*`)));
  const statements = [
    // Hadoop file systems list the parents of a path (and EMRFS its "directories"), so listing is per bucket.
    new iam.PolicyStatement({
      sid: 'ListDataBuckets',
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: unique(locations.map(l => l.bucket.bucketArn)),
    }),
    new iam.PolicyStatement({ sid: 'ReadData', actions: ['s3:GetObject'], resources: arns(() => true) }),
  ];
  const write = arns(l => l.writable);
  if (write.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'WriteData', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: write,
    }));
  }
  const del = arns(l => l.access === EmrDataAccess.READ_WRITE_DELETE);
  if (del.length > 0) statements.push(new iam.PolicyStatement({ sid: 'DeleteData', actions: ['s3:DeleteObject'], resources: del }));
  return statements;
}

/**
 * The cluster key for everything (local disks and EBS through the instances, EMRFS SSE-KMS, logs); the key
 * of each bucket the nodes read only to decrypt; the key of each bucket they write to also to encrypt.
 */
function keyStatements(access: InstanceRoleAccess): iam.PolicyStatement[] {
  const writeKeys = new Set<kms.IKey>();
  const readKeys = new Set<kms.IKey>();
  const add = (key: kms.IKey | undefined, write: boolean) => {
    if (!key || key === access.clusterKey) return;
    (write ? writeKeys : readKeys).add(key);
  };
  add(access.logBucket.encryptionKey, true);
  for (const l of access.dataLocations) add(l.bucket.encryptionKey, l.writable);
  add(access.certificates?.bucket.encryptionKey, false);
  for (const k of writeKeys) readKeys.delete(k);
  const statements = [new iam.PolicyStatement({ sid: 'UseClusterKey', actions: KMS_DATA_ACTIONS, resources: [access.clusterKey.keyArn] })];
  if (writeKeys.size > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'WriteWithBucketKeys', actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [...writeKeys].map(k => k.keyArn),
    }));
  }
  if (readKeys.size > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadWithBucketKeys', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [...readKeys].map(k => k.keyArn) }));
  }
  return statements;
}

/**
 * Read the catalog, `default` and the given databases; create `default` when the catalog has none (Hive's
 * Glue client does on start); create and update tables and partitions only in the given databases; delete
 * only when asked.
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 */
function glueStatements(stack: Stack, glue: GlueCatalogAccess): iam.PolicyStatement[] {
  const catalog = stack.formatArn({ service: 'glue', resource: 'catalog' });
  const database = (db: string) => stack.formatArn({ service: 'glue', resource: 'database', resourceName: db });
  const inDatabase = (kind: string) => (db: string) => stack.formatArn({ service: 'glue', resource: kind, resourceName: `${db}/*` });
  const all = glue.databases.includes('*');
  const given = all ? ['*'] : unique(glue.databases);
  const read = all ? ['*'] : unique(['default', ...given]);
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadGlueCatalog',
      actions: [
        'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions',
        'glue:BatchGetPartition', 'glue:GetUserDefinedFunction', 'glue:GetUserDefinedFunctions',
      ],
      resources: [catalog, ...read.map(database), ...read.map(inDatabase('table')), ...read.map(inDatabase('userDefinedFunction'))],
    }),
    new iam.PolicyStatement({ sid: 'CreateDefaultDatabase', actions: ['glue:CreateDatabase'], resources: [catalog, database('default')] }),
  ];
  if (given.length === 0) return statements;
  const resources = [catalog, ...given.map(database), ...given.map(inDatabase('table'))];
  statements.push(new iam.PolicyStatement({
    sid: 'ChangeGlueTables',
    actions: ['glue:CreateDatabase', 'glue:CreateTable', 'glue:UpdateTable', 'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition'],
    resources,
  }));
  if (glue.deletes) {
    statements.push(new iam.PolicyStatement({
      sid: 'DeleteGlueTables', actions: ['glue:DeleteTable', 'glue:DeletePartition', 'glue:BatchDeletePartition'], resources,
    }));
  }
  return statements;
}

function unique<T>(items: T[]): T[] {
  return items.filter((x, i) => items.indexOf(x) === i);
}

/**
 * The role EMR automatic scaling uses to resize task groups: the actions of the AWS managed
 * `AmazonElasticMapReduceforAutoScalingRole`, scoped to this account and region.
 */
export function createAutoScalingRole(scope: Construct): ManagedPolicyRole {
  const stack = Stack.of(scope);
  // Application Auto Scaling assumes the role for the cluster's scalable targets, EMR for the cluster:
  // each only for this account, and for its own resources in this region (confused deputy).
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html
  const role = new ManagedPolicyRole(scope, 'AutoScalingRole', {
    description: `EMR automatic scaling role of ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('application-autoscaling.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'application-autoscaling', resource: 'scalable-target', resourceName: '*' }) },
      },
    }),
  });
  role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
    actions: ['sts:AssumeRole'],
    principals: [new iam.ServicePrincipal('elasticmapreduce.amazonaws.com')],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'elasticmapreduce', resource: '*' }) },
    },
  }));
  const statements = [
      new iam.PolicyStatement({
        sid: 'ReadScalingAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
      new iam.PolicyStatement({
        sid: 'ResizeInstanceGroups',
        actions: ['elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ModifyInstanceGroups'],
        resources: [stack.formatArn({ service: 'elasticmapreduce', resource: 'cluster', resourceName: '*' })],
      }),
  ];
  statements.forEach(statement => role.addToPrincipalPolicy(statement));
  // The cluster passes this role at creation, so the role cannot name the cluster id without a cycle.
  const reason = 'EMR automatic scaling reads its CloudWatch alarms and resizes the instance groups of the cluster that passes this role; ' +
    'the cluster id is not known before the cluster exists, so access is limited to this account and region.';
  acknowledgeWildcards(role, { ReadScalingAlarms: reason, ResizeInstanceGroups: reason });
  return role;
}
