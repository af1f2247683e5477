import { Annotations, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { acknowledgeInCompliancePacks, COMPLIANCE_PACKS } from '../core/compliance-packs';
import { DataBucket } from '../core/data-bucket';
import { createEncryptionKey } from '../core/encryption-key';
import { ArchitectureMonitoring } from '../core/monitoring';
import { acknowledgeNag } from '../core/nag';
import { checkNetwork } from '../core/private/network-vpc';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { validateAtSynth, validateAtSynthAndNow } from '../core/validation';
import { EmrClusterProps } from './cluster-props';
import { EmrDataLocation } from './data-location';
import { hasAutomaticScaling } from './private/instances';
import { createClusterMonitoring } from './private/monitoring';
import {
  addClusterEndpoints, checkIsolatedSubnets, checkS3EndpointAdmitsEmr, createSecurityGroups, createVpc, EMR_MANAGED_TAG, EMR_VPC_DEFAULTS,
  EmrSecurityGroups, selectLaunchSubnets, tagAdditionalSecurityGroup, tagLaunchSubnets,
} from './private/network';
import { bucketKeys, resolveProps } from './private/props';
import { renderCluster, renderSteps } from './private/render';
import { createAutoScalingRole, createInstancePolicy, createInstanceRole, createServiceRole } from './private/roles';
import { checkClusterProps, warnAboutProps } from './private/rules';
import { EmrSecurityConfiguration } from './security-configuration';

/**
 * An EMR on EC2 cluster with primary and core nodes On-Demand (the capacity that reserved instances,
 * savings plans and capacity reservations cover) and task nodes on Spot.
 *
 * Private subnets, explicit EMR-managed security groups, a security configuration with KMS at-rest
 * encryption (S3, local disks, EBS), IMDSv2-only nodes and optional TLS, least-privilege roles, logs in S3,
 * auto-termination when idle, alarms and a dashboard.
 *
 * @example
 * new EmrCluster(this, 'Cluster', {
 *   dataLocations: [EmrDataLocation.read(lake.bucket, 'raw/'), EmrDataLocation.readWriteDelete(lake.bucket, 'curated/')],
 *   glueDatabases: [lake.database],
 *   capacity: EmrCapacity.instanceGroups({
 *     primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
 *     core: { instanceType: new ec2.InstanceType('r7g.2xlarge'), instanceCount: 3 },
 *     tasks: [{ instanceType: new ec2.InstanceType('c7g.4xlarge'), instanceCount: 4 }],
 *   }),
 *   managedScaling: { minimumCapacityUnits: 4, maximumCapacityUnits: 20, maximumOnDemandCapacityUnits: 4 },
 * });
 */
export class EmrCluster extends Construct implements ec2.IConnectable {
  /** The L1 cluster. */
  public readonly cluster: emr.CfnCluster;
  /** The cluster id (`j-...`). */
  public readonly clusterId: string;
  /** The cluster ARN. */
  public readonly clusterArn: string;
  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;
  /**
   * The cluster's primary security group: the EMR-managed group of the primary node (`primarySecurityGroup`),
   * the one `connections` opens.
   */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The EMR-managed security group of the primary node. */
  public readonly primarySecurityGroup: ec2.SecurityGroup;
  /** The EMR-managed security group of the core and task nodes. */
  public readonly coreTaskSecurityGroup: ec2.SecurityGroup;
  /** The service access security group (private subnets). */
  public readonly serviceAccessSecurityGroup: ec2.SecurityGroup;
  /** The EMR service role. */
  public readonly serviceRole: iam.Role;
  /** The role of the EC2 instance profile. */
  public readonly instanceRole: iam.Role;
  /** The EC2 instance profile. */
  public readonly instanceProfile: iam.CfnInstanceProfile;
  /** The automatic scaling role, when a task group scales automatically. */
  public readonly autoScalingRole?: iam.Role;
  /** The key that encrypts data at rest. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket with the cluster logs. */
  public readonly logBucket: s3.IBucket;
  /** The security configuration. */
  public readonly securityConfiguration: EmrSecurityConfiguration;
  /** The S3 locations the nodes may use, each with its access (`dataLocations`). */
  public readonly dataLocations: EmrDataLocation[];
  /** The steps submitted to the long-running cluster, one resource each, in order (empty for a transient cluster). */
  public readonly steps: emr.CfnStep[];
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;
  /** The release label in use. */
  public readonly releaseLabel: string;
  /** Network connections of the primary node (for example to let a client reach Livy or Trino). */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: EmrClusterProps = {}) {
    super(scope, id);
    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    const p = resolveProps(props);
    this.releaseLabel = p.release;
    this.dataLocations = p.dataLocations;
    // A protected cluster is meant to stay up: the default has no idle timeout; both set is worth a look.
    const explicitIdle = props.idleTimeout && (props.idleTimeout.isUnresolved() || props.idleTimeout.toSeconds({ integral: false }) > 0);
    if (props.terminationProtection && explicitIdle) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:emrProtectedAutoTermination',
        'idleTimeout and terminationProtection are both set: protection is for clusters meant to stay up, auto-termination for clusters ' +
        'meant to go away. Check which one you mean (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-termination.html)');
    }
    warnAboutProps(this, p);

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the S3 data, local disks, EBS volumes and logs of the EMR cluster ${this.node.path}`, removalPolicy);
    // Share a bucket the user already gave for data rather than create a second bucket (and its access-log bucket).
    this.logBucket = props.logBucket ?? p.dataLocations.find(l => l.writable)?.bucket
      ?? new DataBucket(this, 'Logs', { removalPolicy: props.removalPolicy }).bucket;

    // A public endpoint does not apply (reported below): the cluster then builds in its default VPC.
    const config = props.network?._config.kind === 'public' ? undefined : props.network?._config;
    const networkFailed = validateAtSynthAndNow(this, v => checkNetwork(v, props.network?._config, 'EmrCluster', false, EMR_VPC_DEFAULTS));
    const created = config?.kind === 'vpc' ? undefined
      : createVpc(this, this.encryptionKey, removalPolicy, config?.props, !networkFailed.has('network.cidr'));
    this.vpc = config?.kind === 'vpc' ? config.vpc : created!.vpc;
    // A created VPC without NAT: its isolated subnets, where the nodes reach AWS through endpoints.
    const launchSelection = config?.kind === 'vpc' ? config.subnets
      : created!.vpc.privateSubnets.length === 0 ? created!.workloadSubnets : undefined;
    const network = selectLaunchSubnets(this.vpc, launchSelection);
    tagLaunchSubnets(this, network.subnets);
    const sgs: EmrSecurityGroups = createSecurityGroups(this, this.vpc);
    this.primarySecurityGroup = sgs.primary;
    this.coreTaskSecurityGroup = sgs.coreAndTask;
    this.serviceAccessSecurityGroup = sgs.serviceAccess;
    this.securityGroup = sgs.primary;
    this.connections = new ec2.Connections({ securityGroups: [sgs.primary] });
    if (created && created.vpc.privateSubnets.length === 0) {
      addClusterEndpoints(created, sgs, p.glueDataCatalog);
    }
    const additionalSecurityGroup = config?.kind === 'vpc' ? config.securityGroup : undefined;
    if (additionalSecurityGroup) tagAdditionalSecurityGroup(this, additionalSecurityGroup);

    validateAtSynth(this, v => {
      checkClusterProps(v, p);
      if (network.problem) v.fail(network.problem.property, network.problem.given, network.problem.rule);
      // EMR launches instance groups into one subnet and instance fleets into one of several.
      else v.check(network.subnets.length >= 1, 'network.subnets', undefined, 'must select at least one subnet of the VPC');
      checkIsolatedSubnets(this, v, this.vpc, network.subnets, p.glueDataCatalog);
      checkS3EndpointAdmitsEmr(v, this.vpc);
    });

    const tls = props.inTransitEncryption;
    this.securityConfiguration = new EmrSecurityConfiguration(this, 'SecurityConfiguration', {
      encryptionKey: this.encryptionKey,
      inTransitEncryption: tls,
      kerberos: props.kerberos,
      requireImdsV2: p.requireImdsV2,
      bucketKeys: bucketKeys(p.dataLocations, this.encryptionKey),
    });

    const instanceRole = createInstanceRole(this);
    this.instanceRole = instanceRole;
    createInstancePolicy(this, instanceRole, {
      logBucket: this.logBucket,
      logPrefix: p.logPrefix,
      dataLocations: p.dataLocations,
      clusterKey: this.encryptionKey,
      glue: p.glueDataCatalog ? { databases: p.glueAllDatabases ? ['*'] : p.glueDatabases, deletes: p.glueDeletes } : undefined,
      certificates: tls ? { bucket: tls.bucket, objectArn: tls.bucket.arnForObjects(tls.key) } : undefined,
    });
    this.instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', { roles: [this.instanceRole.roleName] });
    const autoScalingRole = hasAutomaticScaling(p.capacity) ? createAutoScalingRole(this) : undefined;
    this.autoScalingRole = autoScalingRole;
    const serviceRole = createServiceRole(this, instanceRole, this.encryptionKey, autoScalingRole);
    this.serviceRole = serviceRole;

    this.cluster = renderCluster(this, props, p, {
      serviceRole: this.serviceRole, instanceProfile: this.instanceProfile, autoScalingRole: this.autoScalingRole,
      securityConfiguration: this.securityConfiguration, logBucket: this.logBucket, encryptionKey: this.encryptionKey,
      subnets: network.subnets, securityGroups: sgs, additionalSecurityGroup,
    });
    // EMR launches instances only for a cluster tagged for its managed policy (it propagates the tag to them).
    Tags.of(this.cluster).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
    // The roles' policies must exist before EMR validates the roles at launch.
    for (const role of [instanceRole, serviceRole, autoScalingRole]) {
      if (role) this.cluster.node.addDependency(role.allPolicies);
    }
    // EMR must be able to reach the nodes before the cluster starts; without the rules EMR adds its own.
    this.cluster.node.addDependency(sgs.primary, sgs.coreAndTask, sgs.serviceAccess);
    this.clusterId = this.cluster.ref;
    this.clusterArn = Stack.of(this).formatArn({ service: 'elasticmapreduce', resource: 'cluster', resourceName: this.clusterId });
    this.steps = p.keepAlive ? renderSteps(this, this.clusterId, p.steps) : [];

    this.acknowledgeNagFindings(props);
    this.monitoring = createClusterMonitoring(this, props);
  }

  /** A metric of this cluster in the `AWS/ElasticMapReduce` namespace, with the `JobFlowId` dimension. */
  /**
   * Lets `grantee` submit steps to the cluster and follow them: `elasticmapreduce:AddJobFlowSteps`, `DescribeStep`
   * and `ListSteps` on this cluster's ARN, exact actions. The steps run on the cluster with its instance role
   * (what `dataLocations` grant), not with the grantee's permissions.
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-access-iam.html
   */
  public grantAddSteps(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee, actions: ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:ListSteps'],
      resourceArns: [this.clusterArn],
    });
  }

  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElasticMapReduce',
      metricName,
      dimensionsMap: { JobFlowId: this.clusterId },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** 1 when the cluster runs no step and no YARN application. */
  public metricIsIdle(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('IsIdle', { statistic: 'Minimum', ...props });
  }

  /** Nodes YARN reports unhealthy. */
  public metricUnhealthyNodes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MRUnhealthyNodes', { statistic: 'Maximum', ...props });
  }

  /** HDFS storage used, in percent. */
  public metricHdfsUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('HDFSUtilization', { statistic: 'Average', ...props });
  }

  /** YARN memory still available, in percent. */
  public metricYarnMemoryAvailablePercentage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('YARNMemoryAvailablePercentage', { statistic: 'Average', ...props });
  }

  /** YARN applications waiting for resources. */
  public metricAppsPending(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AppsPending', { statistic: 'Average', ...props });
  }

  /** YARN applications running. */
  public metricAppsRunning(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AppsRunning', { statistic: 'Average', ...props });
  }

  /** Core nodes running. */
  public metricCoreNodesRunning(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CoreNodesRunning', { statistic: 'Average', ...props });
  }

  /** Task nodes running. */
  public metricTaskNodesRunning(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TaskNodesRunning', { statistic: 'Average', ...props });
  }

  private acknowledgeNagFindings(props: EmrClusterProps): void {
    const encryption = 'The security configuration sets EncryptionConfiguration.EnableAtRestEncryption with S3 SSE-KMS and ' +
      'KMS local-disk encryption including EBS; cdk-nag looks for EnableAtRestEncryption at the top level of the JSON, where EMR does not accept it.';
    const acks = [{ id: 'AwsSolutions-EMR4', reason: encryption }];
    if (props.inTransitEncryption) {
      acks.push({ id: 'AwsSolutions-EMR5', reason: 'The security configuration sets EncryptionConfiguration.EnableInTransitEncryption with PEM certificates; cdk-nag looks for the flag at the top level of the JSON, where EMR does not accept it.' });
    } else {
      acks.push({ id: 'AwsSolutions-EMR5', reason: 'In-transit TLS needs certificates the user provides (inTransitEncryption); traffic stays inside private subnets and security groups that admit only cluster nodes and the EMR service.' });
    }
    if (!props.ec2KeyName && !props.kerberos) {
      acks.push({ id: 'AwsSolutions-EMR6', reason: 'No SSH access is configured at all: no key pair and no SSH ingress rule. Operators use EMR steps or Systems Manager; Kerberos is for multi-user clusters and needs a KDC.' });
    }
    const kerberos = 'Kerberos authenticates many interactive users on a shared cluster and needs a KDC; this cluster runs jobs submitted as EMR steps by IAM principals, with no SSH ingress.';
    if (!props.kerberos) {
      // NIST 800-53 R5 has no EMRKerberosEnabled rule.
      acks.push(...acknowledgeInCompliancePacks('EMRKerberosEnabled', kerberos, COMPLIANCE_PACKS.filter(pack => pack !== 'NIST.800.53.R5')));
    }
    if (this.autoScalingRole) {
      acks.push({
        id: 'CloudFormation-Validate::E1029',
        reason: 'EMR automatic scaling rules take the literal placeholder ${emr.clusterId} as the JobFlowId dimension value, ' +
          'which EMR (not CloudFormation) replaces with the cluster id; it must not be wrapped in Fn::Sub.',
      });
    }
    acknowledgeNag(this.cluster, ...acks);
  }
}
