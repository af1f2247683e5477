/**
 * The run-time paths of an `EmrCluster`: EMR assumes the service role, which launches and manages the nodes
 * in the cluster's tagged subnets and security groups under `AmazonEMRServicePolicy_v2`'s tag conditions
 * and passes the instance role; the nodes read and write exactly their data locations, write the logs and
 * use the catalog databases they were given; automatic scaling resizes the task groups.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html
 */
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EmrCluster, EmrDataAccess } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { passedTo, s3Kms, source } from '../context';
import { AccessModel, AccessPath } from '../model';

/** Options of `emrPaths`. */
export interface EmrPathOptions {
  /** Glue databases the example passes (`glueDatabases`), or undefined when the cluster has no catalog access. */
  readonly glueDatabases?: string[];
  /** Whether the example lets the nodes delete tables of those databases (`glueDeletes`). */
  readonly glueDeletes?: boolean;
  /** Objects the cluster's steps read (their entry points). */
  readonly stepObjects?: string[];
  /** A bucket of the stack the nodes must not reach. */
  readonly foreignBucket?: IConstruct;
}

/** The tag `AmazonEMRServicePolicy_v2` conditions its launch statements on. */
export const EMR_TAG = 'for-use-with-amazon-emr-managed-policies';

/** The paths of one cluster. */
export function emrPaths(m: AccessModel, cluster: EmrCluster, options: EmrPathOptions = {}): AccessPath[] {
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
  const requestTags = launchRequestTags(m.cfn.tagsOf(clusterId));
  const instanceTags: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.cfn.tagsOf(clusterId))) instanceTags[`aws:ResourceTag/${k}`] = v;
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
    ...launchPaths(m, cluster).map(p => ({ ...p, context: { ...p.context, ...requestTags } })),
    { why: why('EMR tags what it launches'), principal: service, action: 'ec2:CreateTags', resource: ec2('instance/i-0123456789abcdef0'),
      context: { ...requestTags, 'ec2:CreateAction': fleets ? 'CreateFleet' : 'RunInstances' }, expect: 'allow' },
    { why: why('EMR launches the nodes from the EMR image'), principal: service, action: launch,
      resource: `arn:aws:ec2:${m.region}::image/ami-0123456789abcdef0`, expect: 'allow' },
    { why: why('EMR terminates its nodes (tagged with the cluster tags)'), principal: service, action: 'ec2:TerminateInstances',
      resource: ec2('instance/i-0123456789abcdef0'), context: instanceTags, expect: 'allow' },
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
    { why: why('EMR of another account cannot assume the service role'), principal: m.service('elasticmapreduce.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(cluster.serviceRole),
      context: { 'aws:SourceAccount': '222222222222', 'aws:SourceArn': `arn:aws:elasticmapreduce:${m.region}:222222222222:cluster/j-OTHER` },
      expect: 'deny' },
  ];
  // A subnet of the stack without the tag: EMR must not launch there.
  const foreignSubnet = m.cfn.ofType('AWS::EC2::Subnet').find(s => m.cfn.tagsOf(s)[EMR_TAG] !== 'true');
  if (foreignSubnet) {
    paths.push({ why: why('EMR launches nothing in a subnet without the EMR tag'), principal: service, action: launch,
      resource: m.cfn.arn(foreignSubnet), expect: 'deny' });
  }
  if (cluster.autoScalingRole) paths.push(...autoScalingPaths(m, cluster, service, clusterArn));
  paths.push(...nodePaths(m, cluster, node, clusterId, props.LogUri, options));
  return paths;
}

/** The request tags of a launch by a cluster with `tags`: EMR puts the cluster's tags on what it launches. */
export function launchRequestTags(tags: Record<string, string>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'aws:TagKeys': Object.keys(tags) };
  for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  return context;
}

/**
 * What EMR creates when it launches the nodes, each allowed by `AmazonEMRServicePolicy_v2` only with the EMR
 * tag in the request (`CreateEMRTaggedInstancesAndVolumes`, `CreateNetworkInterfaceNeededForPrivateSubnet`,
 * `CreateEMRTaggedLaunchTemplate`, `CreateWithEMRTaggedLaunchTemplate`): the launch's request tags are added by
 * the caller, so that a test can also show the same requests denied without the tag.
 */
export function launchPaths(m: AccessModel, cluster: EmrCluster): AccessPath[] {
  const service = m.role(cluster.serviceRole);
  const clusterId = m.logicalId(cluster.cluster);
  const props = m.cfn.resolve(m.cfn.resource(clusterId).Properties) as { Instances: Record<string, unknown> };
  const fleets = props.Instances.CoreInstanceFleet !== undefined;
  const launch = fleets ? 'ec2:CreateFleet' : 'ec2:RunInstances';
  const ec2 = (r: string) => `arn:aws:ec2:${m.region}:${m.account}:${r}`;
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const paths: AccessPath[] = [
    { why: why('EMR launches the instances, tagged with the cluster tags'), principal: service, action: launch,
      resource: ec2('instance/i-0123456789abcdef0'), expect: 'allow' },
    { why: why('EMR launches the EBS volumes, tagged with the cluster tags'), principal: service, action: launch,
      resource: ec2('volume/vol-0123456789abcdef0'), expect: 'allow' },
    { why: why('EMR creates the network interface of each node, tagged with the cluster tags'), principal: service,
      action: 'ec2:CreateNetworkInterface', resource: ec2('network-interface/eni-0123456789abcdef0'), expect: 'allow' },
  ];
  if (fleets) {
    paths.push({ why: why('EMR creates the launch template of each fleet, tagged with the cluster tags'), principal: service,
      action: 'ec2:CreateLaunchTemplate', resource: ec2('launch-template/lt-0123456789abcdef0'), expect: 'allow' });
  }
  return paths;
}

function autoScalingPaths(m: AccessModel, cluster: EmrCluster, service: AccessPath['principal'], clusterArn: string): AccessPath[] {
  const role = cluster.autoScalingRole!;
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const target = `arn:aws:application-autoscaling:${m.region}:${m.account}:scalable-target/0123456789abcdef0123456789abcdef`;
  return [
    { why: why('EMR passes the automatic scaling role'), principal: service, action: 'iam:PassRole', resource: m.arnOf(role),
      context: passedTo('application-autoscaling.amazonaws.com'), expect: 'allow' },
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html
    { why: why('Application Auto Scaling assumes the scaling role for the cluster\'s scalable target'),
      principal: m.service('application-autoscaling.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(role),
      context: source(m, target), expect: 'allow' },
    { why: why('EMR assumes the scaling role for the cluster'), principal: m.service('elasticmapreduce.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(role), context: source(m, clusterArn), expect: 'allow' },
    { why: why('Application Auto Scaling of another account cannot assume the scaling role'),
      principal: m.service('application-autoscaling.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(role),
      context: { 'aws:SourceAccount': '222222222222', 'aws:SourceArn': target.replace(m.account, '222222222222') }, expect: 'deny' },
    { why: why('automatic scaling reads its alarms'), principal: m.role(role), action: 'cloudwatch:DescribeAlarms',
      resource: `arn:aws:cloudwatch:${m.region}:${m.account}:alarm:${m.cfn.ref(m.logicalId(cluster.cluster))}-ScaleOut`, expect: 'allow' },
    { why: why('automatic scaling resizes the task group'), principal: m.role(role), action: 'elasticmapreduce:ModifyInstanceGroups',
      resource: clusterArn, expect: 'allow' },
  ];
}

/** The nodes: logs, each data location with exactly its access, the keys for it, and the catalog. */
function nodePaths(m: AccessModel, cluster: EmrCluster, node: AccessPath['principal'], clusterId: string, logUri: string,
  options: EmrPathOptions): AccessPath[] {
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const key = m.value(cluster.encryptionKey.keyArn);
  const logObject = `arn:aws:s3:::${logUri.replace(/^s3:\/\//, '')}${m.cfn.ref(clusterId)}/node/i-0123456789abcdef0/applications/spark/stderr.gz`;
  const paths: AccessPath[] = [
    { why: why('EC2 assumes the instance role for the nodes'), principal: m.service('ec2.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(cluster.instanceRole), expect: 'allow' },
    { why: why('the nodes upload the cluster logs'), principal: node, action: 's3:PutObject', resource: logObject, expect: 'allow' },
    { why: why('the nodes encrypt the logs with the cluster key (S3 calls KMS for it)'), principal: node, action: 'kms:GenerateDataKey',
      resource: key, context: s3Kms(m, cluster.logBucket, logObject), expect: 'allow' },
    { why: why('the nodes encrypt their local disks with the cluster key'), principal: node, action: 'kms:GenerateDataKey', resource: key,
      expect: 'allow' },
    { why: why('the nodes delete no cluster log'), principal: node, action: 's3:DeleteObject', resource: logObject, expect: 'deny' },
  ];
  const buckets = new Map<string, { bucket: s3.IBucket; prefixes: string[] }>();
  for (const l of cluster.dataLocations) {
    const bucketArn = m.arnOf(l.bucket);
    const entry = buckets.get(bucketArn) ?? { bucket: l.bucket, prefixes: [] };
    entry.prefixes.push(l.prefix);
    buckets.set(bucketArn, entry);
    const obj = `${bucketArn}/${l.prefix}events/part-00000.snappy.parquet`;
    const where = `under ${l.prefix || 'the whole bucket'}`;
    const writable = l.access !== EmrDataAccess.READ;
    const deletes = l.access === EmrDataAccess.READ_WRITE_DELETE;
    const bucketKey = l.bucket.encryptionKey ? m.value(l.bucket.encryptionKey.keyArn) : undefined;
    paths.push(
      { why: why('Spark and Hive list the data bucket'), principal: node, action: 's3:ListBucket', resource: bucketArn, expect: 'allow' },
      { why: why(`Spark and Hive read the data ${where}`), principal: node, action: 's3:GetObject', resource: obj, expect: 'allow' },
      { why: why(`Spark and Hive ${writable ? '' : 'do not '}write ${where} (${l.access})`), principal: node, action: 's3:PutObject',
        resource: obj, expect: writable ? 'allow' : 'deny' },
      { why: why(`Spark and Hive ${deletes ? '' : 'do not '}delete ${where} (${l.access})`), principal: node, action: 's3:DeleteObject',
        resource: obj, expect: deletes ? 'allow' : 'deny' },
    );
    if (bucketKey && bucketKey !== key) {
      paths.push({ why: why(`the nodes decrypt data ${where} with the bucket's key (S3 calls KMS for it)`), principal: node, action: 'kms:Decrypt',
        resource: bucketKey, context: s3Kms(m, l.bucket, obj), expect: 'allow' });
      if (writable) {
        // The security configuration's SSE-KMS override makes EMRFS write to this bucket with its own key.
        paths.push({ why: why(`EMRFS encrypts ${where} with the bucket's key (S3 calls KMS for it)`), principal: node,
          action: 'kms:GenerateDataKey', resource: bucketKey, context: s3Kms(m, l.bucket, obj), expect: 'allow' });
      }
    } else if (writable) {
      paths.push({ why: why(`EMRFS encrypts ${where} with the security configuration's key (S3 calls KMS for it)`), principal: node,
        action: 'kms:GenerateDataKey', resource: key, context: s3Kms(m, l.bucket, obj), expect: 'allow' });
    }
  }
  for (const { bucket } of buckets.values()) {
    const bucketKey = bucket.encryptionKey;
    const written = cluster.dataLocations.some(l => l.bucket === bucket && l.access !== EmrDataAccess.READ) || bucket === cluster.logBucket;
    if (bucketKey && m.value(bucketKey.keyArn) !== key && !written) {
      paths.push({ why: why('the nodes encrypt nothing with the key of a bucket they only read'), principal: node, action: 'kms:GenerateDataKey',
        resource: m.value(bucketKey.keyArn), context: s3Kms(m, bucket, `${m.arnOf(bucket)}/x`), expect: 'deny' });
    }
  }
  for (const [bucketArn, { prefixes }] of buckets) {
    if (prefixes.includes('')) continue;
    paths.push({ why: why('the nodes read nothing of a data bucket outside the prefixes they were given'), principal: node,
      action: 's3:GetObject', resource: `${bucketArn}/not-given/part-00000.parquet`, expect: 'deny' });
  }
  for (const o of options.stepObjects ?? []) {
    paths.push({ why: why('a step reads its entry point'), principal: node, action: 's3:GetObject', resource: o, expect: 'allow' });
  }
  if (options.foreignBucket) {
    paths.push({ why: why('the nodes read no bucket they were not given'), principal: node, action: 's3:GetObject',
      resource: `${m.arnOf(options.foreignBucket)}/access-logs/2026-12-02-00-00-00-0123456789ABCDEF`, expect: 'deny' });
  }
  paths.push(...gluePaths(m, cluster, node, options));
  return paths;
}

/**
 * The catalog: `default` read-only (Hive and Spark look it up at start), the given databases read and
 * changed, deleted from only with `glueDeletes`, every other database out of reach.
 * Glue authorizes a table call on the catalog, the database and the table: the paths name the database and
 * the table, which decide it.
 */
function gluePaths(m: AccessModel, cluster: EmrCluster, node: AccessPath['principal'], options: EmrPathOptions): AccessPath[] {
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  const given = options.glueDatabases;
  if (!given) return [];
  const paths: AccessPath[] = [];
  for (const db of given) {
    for (const action of ['glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition']) {
      for (const resource of [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/events`)]) {
        paths.push({ why: why(`Hive and Spark use the catalog database ${db}`), principal: node, action, resource, expect: 'allow' });
      }
    }
    paths.push({ why: why(`the nodes ${options.glueDeletes ? '' : 'do not '}drop tables of ${db} (glueDeletes)`), principal: node,
      action: 'glue:DeleteTable', resource: glue(`table/${db}/events`), expect: options.glueDeletes ? 'allow' : 'deny' });
  }
  if (!given.includes('default')) {
    paths.push(
      { why: why('Hive and Spark read the default database at start'), principal: node, action: 'glue:GetDatabase',
        resource: glue('database/default'), expect: 'allow' },
      { why: why('Hive and Spark read tables of the default database'), principal: node, action: 'glue:GetTable',
        resource: glue('table/default/events'), expect: 'allow' },
      { why: why('the nodes create no table in the default database they were not given'), principal: node, action: 'glue:CreateTable',
        resource: glue('table/default/events'), expect: 'deny' },
    );
  }
  paths.push(
    { why: why('the nodes read no other catalog database'), principal: node, action: 'glue:GetTable', resource: glue('table/other_db/events'),
      expect: 'deny' },
    { why: why('the nodes delete no table of a database the cluster was not given'), principal: node, action: 'glue:DeleteTable',
      resource: glue('table/other_db/events'), expect: 'deny' },
  );
  return paths;
}
