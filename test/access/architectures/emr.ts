/**
 * The run-time paths of an `EmrCluster`: EMR assumes the service role, which launches and manages the nodes
 * in the cluster's tagged subnets and security groups under `AmazonEMRServicePolicy_v2`'s tag conditions
 * and passes the instance role; the nodes read and write the data buckets, logs and catalog; automatic
 * scaling resizes the task groups.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html
 */
import { EmrCluster } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';
import { passedTo, s3Kms, source } from '../context';
import { EMR_CLUSTER_UNTAGGED, EMR_DELETE_WHOLE_BUCKET, EMR_GLUE_ALL_DATABASES } from '../known-defects';
import { AccessModel, AccessPath } from '../model';

/** Options of `emrPaths`. */
export interface EmrPathOptions {
  /** Data buckets the example passes (the nodes read and write them), with their key's construct. */
  readonly dataBuckets: IConstruct[];
  /** Glue databases the example passes, or undefined when the cluster has no catalog access. */
  readonly glueDatabases?: string[];
  /** Objects the cluster's steps read (their entry points). */
  readonly stepObjects?: string[];
  /** A bucket of the stack the nodes must not reach. */
  readonly foreignBucket?: IConstruct;
}

const EMR_TAG = 'for-use-with-amazon-emr-managed-policies';

/** The paths of one cluster. */
export function emrPaths(m: AccessModel, cluster: EmrCluster, options: EmrPathOptions): AccessPath[] {
  const service = m.role(cluster.serviceRole);
  const node = m.role(cluster.instanceRole);
  const clusterId = m.logicalId(cluster.cluster);
  const clusterArn = m.cfn.arn(clusterId);
  const props = m.cfn.resolve(m.cfn.resource(clusterId).Properties) as { Instances: Record<string, unknown>; LogUri: string };
  const ec2 = (r: string) => `arn:aws:ec2:${m.region}:${m.account}:${r}`;
  const subnets = [props.Instances.Ec2SubnetId ?? [], props.Instances.Ec2SubnetIds ?? []].flat() as string[];
  const fleets = props.Instances.CoreInstanceFleet !== undefined;
  const launch = fleets ? 'ec2:CreateFleet' : 'ec2:RunInstances';
  // EMR puts the cluster's tags on everything it launches: they are the request tags of the launch.
  const clusterTags = m.cfn.tagsOf(clusterId);
  const requestTags: Record<string, string | string[]> = { 'aws:TagKeys': Object.keys(clusterTags) };
  for (const [k, v] of Object.entries(clusterTags)) requestTags[`aws:RequestTag/${k}`] = v;
  const instanceTags: Record<string, string> = {};
  for (const [k, v] of Object.entries(clusterTags)) instanceTags[`aws:ResourceTag/${k}`] = v;
  const untagged = clusterTags[EMR_TAG] === 'true' ? undefined : EMR_CLUSTER_UNTAGGED;
  const groups = [cluster.primarySecurityGroup, cluster.coreTaskSecurityGroup, cluster.serviceAccessSecurityGroup];
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const key = m.value(cluster.encryptionKey.keyArn);

  const paths: AccessPath[] = [
    { why: why('EMR assumes the service role'), principal: m.service('elasticmapreduce.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(cluster.serviceRole), context: source(m, clusterArn), expect: 'allow' },
    ...subnets.map((s): AccessPath => ({ why: why(`EMR launches nodes in subnet ${s}`), principal: service, action: launch,
      resource: ec2(`subnet/${s}`), expect: 'allow' })),
    // An EC2 Fleet launches through RunInstances: the security groups of its launch template are checked there.
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-prerequisites.html
    ...groups.map((g): AccessPath => ({ why: why('EMR launches nodes with its managed security group'), principal: service,
      action: 'ec2:RunInstances', resource: m.arnOf(g), expect: 'allow' })),
    ...groups.map((g): AccessPath => ({ why: why('EMR adds the rules it manages to its security groups'), principal: service,
      action: 'ec2:AuthorizeSecurityGroupIngress', resource: m.arnOf(g), expect: 'allow' })),
    { why: why('EMR launches the instances, tagged with the cluster tags'), principal: service, action: launch,
      resource: ec2('instance/i-0123456789abcdef0'), context: requestTags, expect: 'allow', knownDefect: untagged },
    { why: why('EMR launches the EBS volumes, tagged with the cluster tags'), principal: service, action: launch,
      resource: ec2('volume/vol-0123456789abcdef0'), context: requestTags, expect: 'allow', knownDefect: untagged },
    { why: why('EMR launches the nodes from the EMR image'), principal: service, action: launch,
      resource: `arn:aws:ec2:${m.region}::image/ami-0123456789abcdef0`, expect: 'allow' },
    { why: why('EMR creates the network interface of each node, tagged with the cluster tags'), principal: service,
      action: 'ec2:CreateNetworkInterface', resource: ec2('network-interface/eni-0123456789abcdef0'), context: requestTags, expect: 'allow',
      knownDefect: untagged },
    { why: why('EMR tags what it launches'), principal: service, action: 'ec2:CreateTags', resource: ec2('instance/i-0123456789abcdef0'),
      context: { ...requestTags, 'ec2:CreateAction': fleets ? 'CreateFleet' : 'RunInstances' }, expect: 'allow' },
    { why: why('EMR terminates its nodes (tagged with the cluster tags)'), principal: service, action: 'ec2:TerminateInstances',
      resource: ec2('instance/i-0123456789abcdef0'), context: instanceTags, expect: 'allow', knownDefect: untagged },
    { why: why('EMR passes the instance role to EC2'), principal: service, action: 'iam:PassRole', resource: m.arnOf(cluster.instanceRole),
      context: passedTo('ec2.amazonaws.com'), expect: 'allow' },
    { why: why('EMR lets EC2 use the cluster key for the encrypted EBS volumes'), principal: service, action: 'kms:CreateGrant', resource: key,
      context: { 'kms:GrantIsForAWSResource': 'true' }, expect: 'allow' },
    // Least privilege.
    { why: why('EMR passes the instance role to no other service'), principal: service, action: 'iam:PassRole',
      resource: m.arnOf(cluster.instanceRole), context: passedTo('lambda.amazonaws.com'), expect: 'deny' },
    { why: why('EMR passes no other role'), principal: service, action: 'iam:PassRole', resource: m.arnOf(cluster.serviceRole),
      context: passedTo('ec2.amazonaws.com'), expect: 'deny' },
    { why: why('the cluster key grants go to AWS resources only'), principal: service, action: 'kms:CreateGrant', resource: key,
      context: { 'kms:GrantIsForAWSResource': 'false' }, expect: 'deny' },
    { why: why('EMR terminates no instance that is not its own'), principal: service, action: 'ec2:TerminateInstances',
      resource: ec2('instance/i-0fedcba9876543210'), expect: 'deny' },
  ];
  if (fleets) {
    const template = ec2('launch-template/lt-0123456789abcdef0');
    paths.push(
      { why: why('EMR creates the launch template of each fleet, tagged with the cluster tags'), principal: service,
        action: 'ec2:CreateLaunchTemplate', resource: template, context: requestTags, expect: 'allow', knownDefect: untagged },
      { why: why('EMR launches the fleet from its tagged launch template'), principal: service, action: 'ec2:CreateFleet', resource: template,
        context: instanceTags, expect: 'allow', knownDefect: untagged });
  }
  // A subnet of the stack without the tag: EMR must not launch there.
  const foreignSubnet = m.cfn.ofType('AWS::EC2::Subnet').find(s => m.cfn.tagsOf(s)[EMR_TAG] !== 'true');
  if (foreignSubnet) {
    paths.push({ why: why('EMR launches nothing in a subnet without the EMR tag'), principal: service, action: launch,
      resource: m.cfn.arn(foreignSubnet), expect: 'deny' });
  }
  if (cluster.autoScalingRole) {
    paths.push(
      { why: why('EMR passes the automatic scaling role'), principal: service, action: 'iam:PassRole', resource: m.arnOf(cluster.autoScalingRole),
        context: passedTo('application-autoscaling.amazonaws.com'), expect: 'allow' },
      { why: why('Application Auto Scaling assumes the scaling role'), principal: m.service('application-autoscaling.amazonaws.com'),
        action: 'sts:AssumeRole', resource: m.arnOf(cluster.autoScalingRole), expect: 'allow' },
      { why: why('automatic scaling reads its alarms'), principal: m.role(cluster.autoScalingRole), action: 'cloudwatch:DescribeAlarms',
        resource: `arn:aws:cloudwatch:${m.region}:${m.account}:alarm:${m.cfn.ref(clusterId)}-ScaleOut`, expect: 'allow' },
      { why: why('automatic scaling resizes the task group'), principal: m.role(cluster.autoScalingRole), action: 'elasticmapreduce:ModifyInstanceGroups',
        resource: clusterArn, expect: 'allow' });
  }

  // The nodes.
  const logObject = `arn:aws:s3:::${props.LogUri.replace(/^s3:\/\//, '')}${m.cfn.ref(clusterId)}/node/i-0123456789abcdef0/applications/spark/stderr.gz`;
  paths.push(
    { why: why('EC2 assumes the instance role for the nodes'), principal: m.service('ec2.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(cluster.instanceRole), expect: 'allow' },
    { why: why('the nodes upload the cluster logs'), principal: node, action: 's3:PutObject', resource: logObject, expect: 'allow' },
    { why: why('the nodes encrypt the logs with the cluster key (S3 calls KMS for it)'), principal: node, action: 'kms:GenerateDataKey',
      resource: key, context: s3Kms(m, cluster.logBucket, logObject), expect: 'allow' },
    { why: why('the nodes encrypt their local disks with the cluster key'), principal: node, action: 'kms:GenerateDataKey', resource: key,
      expect: 'allow' },
    { why: why('the nodes delete no cluster log'), principal: node, action: 's3:DeleteObject', resource: logObject, expect: 'deny',
      knownDefect: options.dataBuckets.some(b => m.arnOf(b) === m.value(cluster.logBucket.bucketArn)) ? EMR_DELETE_WHOLE_BUCKET : undefined },
  );
  for (const b of options.dataBuckets) {
    const bucketArn = m.arnOf(b);
    const obj = `${bucketArn}/warehouse/events/part-00000.snappy.parquet`;
    const bucketKey = m.cfn.resolve(m.cfn.resource(m.logicalId(b)).Properties?.BucketEncryption) as
      { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: { KMSMasterKeyID?: string } }> };
    const lakeKey = bucketKey.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID!;
    paths.push(
      { why: why('Spark and Hive list the data bucket'), principal: node, action: 's3:ListBucket', resource: bucketArn, expect: 'allow' },
      { why: why('Spark and Hive read the data'), principal: node, action: 's3:GetObject', resource: obj, expect: 'allow' },
      { why: why('Spark and Hive write the data'), principal: node, action: 's3:PutObject', resource: obj, expect: 'allow' },
      { why: why('the nodes decrypt data written with the bucket\'s key (S3 calls KMS for it)'), principal: node, action: 'kms:Decrypt',
        resource: lakeKey, context: s3Kms(m, b, obj), expect: 'allow' },
      { why: why('EMRFS writes with the security configuration\'s SSE-KMS key (S3 calls KMS for it)'), principal: node,
        action: 'kms:GenerateDataKey', resource: key, context: s3Kms(m, b, obj), expect: 'allow' },
    );
  }
  for (const o of options.stepObjects ?? []) {
    paths.push({ why: why('a step reads its entry point'), principal: node, action: 's3:GetObject', resource: o, expect: 'allow' });
  }
  if (options.foreignBucket) {
    paths.push({ why: why('the nodes read no bucket they were not given'), principal: node, action: 's3:GetObject',
      resource: `${m.arnOf(options.foreignBucket)}/access-logs/2026-12-02-00-00-00-0123456789ABCDEF`, expect: 'deny' });
  }
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  if (options.glueDatabases) {
    for (const db of [...options.glueDatabases, 'default']) {
      for (const action of ['glue:GetTable', 'glue:CreateTable', 'glue:BatchCreatePartition']) {
        for (const resource of [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/events`)]) {
          paths.push({ why: why(`Hive and Spark use the catalog database ${db}`), principal: node, action, resource, expect: 'allow' });
        }
      }
    }
    paths.push({ why: why('the nodes read no other catalog database'), principal: node, action: 'glue:GetTable', resource: glue('table/other_db/events'),
      expect: 'deny' });
  }
  paths.push({ why: why('the nodes delete no table of a database the cluster was not given'), principal: node, action: 'glue:DeleteTable',
    resource: glue('table/other_db/events'), expect: 'deny', knownDefect: options.glueDatabases ? undefined : EMR_GLUE_ALL_DATABASES });
  return paths;
}
