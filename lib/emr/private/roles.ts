import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag, acknowledgeWildcardResources } from '../../core/nag';

/** What the instance profile role may touch. */
export interface InstanceRoleAccess {
  readonly logBucket: s3.IBucket;
  readonly logPrefix: string;
  readonly dataBuckets: s3.IBucket[];
  readonly keys: kms.IKey[];
  /** Glue databases the nodes may use, or undefined for no Glue access, or ['*'] for every database. */
  readonly glueDatabases?: string[];
  readonly certificateObjectArn?: string;
}

const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/**
 * The service role: the AWS managed `AmazonEMRServicePolicy_v2` (scoped by the
 * `for-use-with-amazon-emr-managed-policies` tag) plus a customer-managed policy for what it does not
 * cover: passing this cluster's own roles and using the EBS encryption key.
 */
export function createServiceRole(scope: Construct, instanceRole: iam.IRole, localDiskKey: kms.IKey, autoScalingRole?: iam.IRole): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'ServiceRole', {
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
  new iam.ManagedPolicy(scope, 'ServicePolicy', { roles: [role], statements });
  acknowledgeNag(role.node.defaultChild!, {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]',
    reason: 'AmazonEMRServicePolicy_v2 is the scoped EMR service policy AWS maintains as EC2 and EMR evolve: it only acts on resources ' +
      'tagged for-use-with-amazon-emr-managed-policies=true, which this construct sets on its subnets and security groups.',
  });
  return role;
}

/**
 * The role of the cluster's EC2 instances, with a customer-managed policy scoped to the log prefix, the
 * data buckets, their keys and the Glue Data Catalog.
 */
export function createInstanceRole(scope: Construct): iam.Role {
  return new iam.Role(scope, 'InstanceRole', {
    description: `EC2 instance profile role of the EMR cluster ${scope.node.path}`,
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
  });
}

/** Returns the policy and the wildcard resources it holds, for the nag acknowledgments. */
export function createInstancePolicy(scope: Construct, role: iam.IRole, access: InstanceRoleAccess): iam.ManagedPolicy {
  const stack = Stack.of(scope);
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
  if (access.dataBuckets.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'ListDataBuckets',
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      resources: access.dataBuckets.map(b => b.bucketArn),
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'ReadWriteData',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: access.dataBuckets.map(b => b.arnForObjects('*')),
    }));
  }
  if (access.certificateObjectArn) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadTlsCertificates', actions: ['s3:GetObject'], resources: [access.certificateObjectArn] }));
  }
  statements.push(new iam.PolicyStatement({ sid: 'UseKeys', actions: KMS_DATA_ACTIONS, resources: access.keys.map(k => k.keyArn) }));
  if (access.glueDatabases) {
    const all = access.glueDatabases.includes('*');
    // Hive and Spark look up the `default` database on start, whatever the job uses.
    const dbs = all ? ['*'] : Array.from(new Set(['default', ...access.glueDatabases]));
    statements.push(new iam.PolicyStatement({
      sid: 'UseGlueDataCatalog',
      actions: [
        'glue:GetDatabase', 'glue:GetDatabases', 'glue:CreateDatabase',
        'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable',
        'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:CreatePartition',
        'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:DeletePartition', 'glue:BatchDeletePartition',
        'glue:GetUserDefinedFunction', 'glue:GetUserDefinedFunctions',
      ],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        ...dbs.map(db => stack.formatArn({ service: 'glue', resource: 'database', resourceName: db })),
        ...dbs.map(db => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${db}/*` })),
        ...dbs.map(db => stack.formatArn({ service: 'glue', resource: 'userDefinedFunction', resourceName: `${db}/*` })),
      ],
    }));
  }
  const policy = new iam.ManagedPolicy(scope, 'InstancePolicy', { roles: [role], statements });
  acknowledgeWildcardResources(policy, statements, {
    WriteClusterLogs: 'EMR writes logs under per-cluster, per-node keys it chooses at run time; access is limited to the log prefix of this cluster.',
    ReadWriteData: 'Spark and Hive jobs read and write objects anywhere in the data buckets the user passed as dataBuckets; the keys are chosen by the jobs at run time.',
    UseGlueDataCatalog: 'Hive and Spark create and read tables and partitions of the Glue databases the cluster uses, whose names jobs choose at run time; ' +
      'limited to this account and region, and to glueDatabases when given.',
  });
  return policy;
}

/**
 * The role EMR automatic scaling uses to resize task groups: the actions of the AWS managed
 * `AmazonElasticMapReduceforAutoScalingRole`, scoped to this account and region.
 */
export function createAutoScalingRole(scope: Construct): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'AutoScalingRole', {
    description: `EMR automatic scaling role of ${scope.node.path}`,
    assumedBy: new iam.CompositePrincipal(
      new iam.ServicePrincipal('elasticmapreduce.amazonaws.com'),
      new iam.ServicePrincipal('application-autoscaling.amazonaws.com'),
    ),
  });
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
  const policy = new iam.ManagedPolicy(scope, 'AutoScalingPolicy', { roles: [role], statements });
  // The cluster passes this role at creation, so the role cannot name the cluster id without a cycle.
  const reason = 'EMR automatic scaling reads its CloudWatch alarms and resizes the instance groups of the cluster that passes this role; ' +
    'the cluster id is not known before the cluster exists, so access is limited to this account and region.';
  acknowledgeWildcardResources(policy, statements, { ReadScalingAlarms: reason, ResizeInstanceGroups: reason });
  return role;
}
