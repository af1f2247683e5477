import { Annotations, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { graph } from '../core/dashboard-widgets';
import { DataBucket } from '../core/data-bucket';
import { ArchitectureMonitoring, MonitoringOptions } from '../core/monitoring';
import { acknowledgeNag } from '../core/nag';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { PropsValidator, Shown, validateAtSynth } from '../core/validation';
import { EmrCapacity } from './capacity';
import { createSecurityGroups, createVpc, EmrSecurityGroups } from './private/network';
import { releaseAtLeast, parseRelease } from './private/release';
import { hasAutomaticScaling, renderConfigurations, renderInstances, validateCapacity, wholeAtLeast } from './private/instances';
import { createAutoScalingRole, createInstancePolicy, createInstanceRole, createServiceRole } from './private/roles';
import { EmrApplication, EmrConfiguration, EmrReleaseLabel } from './release';
import { EmrManagedScaling, EmrScalingUnit } from './scaling';
import { EmrKerberos, EmrSecurityConfiguration, EmrTlsCertificates } from './security-configuration';
import { EmrBootstrapAction, EmrStep } from './step';
import { createEncryptionKey } from '../core/encryption-key';

/**
 * Thresholds of the alarms an `EmrCluster` raises.
 */
export interface EmrAlarmThresholds {
  /**
   * Alarm when the cluster has been idle (no running steps or YARN applications) this long; a cue to
   * terminate a cluster that costs money doing nothing. Rounded up to 5-minute periods.
   * @default Duration.minutes(30)
   */
  readonly idleFor?: Duration;
  /**
   * Alarm at this many unhealthy nodes (`MRUnhealthyNodes`).
   * @default 1
   */
  readonly unhealthyNodes?: number;
  /**
   * Alarm at this HDFS utilization, in percent.
   * @default 80
   */
  readonly hdfsUtilizationPercent?: number;
  /**
   * Alarm when available YARN memory falls to this percentage.
   * @default 15
   */
  readonly yarnMemoryAvailablePercent?: number;
  /**
   * Alarm at this many YARN applications waiting for resources (`AppsPending`) for 15 minutes.
   * @default 5
   */
  readonly appsPending?: number;
}

/**
 * Props of `EmrCluster`.
 */
export interface EmrClusterProps extends MonitoringOptions {
  /**
   * Name of the cluster.
   * @default - a name unique in the account, derived from the construct path
   */
  readonly clusterName?: string;
  /**
   * EMR release: emr-5.30.0 or later, except emr-6.0.0 (the cluster encrypts its S3 logs with KMS).
   * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html
   * @default EmrReleaseLabel.EMR_7_13_0
   */
  readonly releaseLabel?: EmrReleaseLabel;
  /**
   * Applications to install.
   * @default [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE]
   */
  readonly applications?: EmrApplication[];
  /**
   * Use the AWS Glue Data Catalog as the metastore of Hive, Spark and Trino/Presto (whichever are installed).
   * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html
   * @default true
   */
  readonly glueDataCatalog?: boolean;
  /**
   * Glue databases the cluster may read and change (the `default` database is always included, as Hive
   * and Spark look it up at start).
   * @default - every database in the account and region's catalog
   */
  readonly glueDatabases?: string[];
  /**
   * Application configurations. Properties the Glue switch sets may be repeated only with the same value.
   * @default - none
   */
  readonly configurations?: EmrConfiguration[];
  /**
   * The nodes: uniform instance groups or instance fleets.
   * @default - instance groups: 1 primary and 2 core m7g.xlarge On-Demand nodes, and one task group of
   * 2 m7g.xlarge Spot nodes
   */
  readonly capacity?: EmrCapacity;
  /**
   * Managed scaling limits. Cannot be combined with automatic scaling of task groups.
   * @default - no managed scaling
   */
  readonly managedScaling?: EmrManagedScaling;
  /**
   * Terminate the cluster after it has been idle this long (60 seconds to 7 days). `Duration.seconds(0)`
   * turns auto-termination off.
   * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html
   * @default - Duration.hours(1); no auto-termination when `terminationProtection` is true
   */
  readonly idleTimeout?: Duration;
  /**
   * Protect the cluster from termination by API calls and errors.
   * @default false
   */
  readonly terminationProtection?: boolean;
  /**
   * Keep the cluster running after its last step (long-running); false makes a transient cluster that
   * terminates when its steps finish.
   * @default true
   */
  readonly keepAliveWhenNoSteps?: boolean;
  /**
   * Bootstrap actions run on every node at launch (at most 16).
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-bootstrap.html
   * @default - none
   */
  readonly bootstrapActions?: EmrBootstrapAction[];
  /**
   * Steps the cluster runs after it starts.
   * @default - none
   */
  readonly steps?: EmrStep[];
  /**
   * VPC to launch into. When given, its private subnets must carry the tag
   * `for-use-with-amazon-emr-managed-policies=true` (the managed service policy requires it) and reach S3
   * through a gateway endpoint or a NAT gateway.
   * @default - a new VPC with private subnets, one NAT gateway, an S3 gateway endpoint and flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Availability Zones of the VPC the construct creates (two or more). Give them explicitly (for example
   * `['us-east-1a', 'us-east-1b']`), or fix the stack's AZs, so that synth needs no lookup.
   * @default - the first two of the stack's Availability Zones (a context lookup in a stack with an
   * explicit env, unless the stack overrides `availabilityZones`)
   */
  readonly availabilityZones?: string[];
  /**
   * Subnets to launch into: the first one for instance groups, all of them for instance fleets.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Bucket that receives the cluster logs (`LogUri`).
   * @default - a new `DataBucket`
   */
  readonly logBucket?: s3.IBucket;
  /**
   * Prefix of the cluster logs in the log bucket.
   * @default 'emr-logs/'
   */
  readonly logPrefix?: string;
  /**
   * Data lake buckets the nodes may read and write (objects and, when SSE-KMS, their keys).
   * @default - none besides the log bucket
   */
  readonly dataBuckets?: s3.IBucket[];
  /**
   * Customer-managed key for S3 SSE-KMS, local disks, EBS volumes and log encryption. When the construct
   * also creates the VPC, the key encrypts the flow-log group too, so its key policy must let CloudWatch Logs use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * TLS certificates for in-transit encryption.
   * @default - no in-transit encryption
   */
  readonly inTransitEncryption?: EmrTlsCertificates;
  /**
   * Kerberos authentication with a cluster-dedicated KDC (emr-5.10.0 or later).
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html
   * @default - no Kerberos; jobs run as EMR steps by IAM principals
   */
  readonly kerberos?: EmrKerberos;
  /**
   * EC2 key pair for SSH to the nodes.
   * @default - no key pair; use AWS Systems Manager Session Manager or EMR steps instead of SSH
   */
  readonly ec2KeyName?: string;
  /**
   * Alarm thresholds.
   * @default - see each threshold
   */
  readonly alarmThresholds?: EmrAlarmThresholds;
  /**
   * What happens to the key and the log bucket the construct creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const GLUE_FACTORY = 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory';
const DEFAULT_APPLICATIONS = [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE];

/**
 * An EMR on EC2 cluster with primary and core nodes On-Demand (the capacity that reserved instances,
 * savings plans and capacity reservations cover) and task nodes on Spot.
 *
 * Private subnets, explicit EMR-managed security groups, a security configuration with KMS at-rest
 * encryption (S3, local disks, EBS) and optional TLS, least-privilege roles, logs in S3, auto-termination
 * when idle, alarms and a dashboard.
 *
 * @example
 * new EmrCluster(this, 'Cluster', {
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
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;
  /** The release label in use. */
  public readonly releaseLabel: string;
  /** Network connections of the primary node (for example to let a client reach Livy or Trino). */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: EmrClusterProps = {}) {
    super(scope, id);
    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    const release = (props.releaseLabel ?? EmrReleaseLabel.EMR_7_13_0).label;
    this.releaseLabel = release;
    const applications = props.applications ?? DEFAULT_APPLICATIONS;
    const appNames = applications.map(a => a.name);
    const glue = props.glueDataCatalog ?? true;
    const capacity = props.capacity ?? EmrCapacity.instanceGroups({
      primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
      core: { instanceType: new ec2.InstanceType('m7g.xlarge') },
      tasks: [{ instanceType: new ec2.InstanceType('m7g.xlarge'), instanceCount: 2 }],
    });
    // A protected cluster is meant to stay up: it gets no default idle timeout.
    const idleTimeout = props.idleTimeout ?? (props.terminationProtection ? Duration.seconds(0) : Duration.hours(1));
    const explicitIdle = props.idleTimeout && (props.idleTimeout.isUnresolved() || props.idleTimeout.toSeconds({ integral: false }) > 0);
    if (props.terminationProtection && explicitIdle) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:emrProtectedAutoTermination',
        'idleTimeout and terminationProtection are both set: protection is for clusters meant to stay up, auto-termination for clusters ' +
        'meant to go away. Check which one you mean (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-termination.html)');
    }
    const autoTermination = idleTimeout.isUnresolved() || idleTimeout.toSeconds({ integral: false }) > 0;
    const keepAlive = props.keepAliveWhenNoSteps ?? true;
    const logPrefix = props.logPrefix ?? 'emr-logs/';
    const steps = props.steps ?? [];
    const { configurations, conflicts } = mergeGlueConfigurations(props.configurations ?? [], glue ? appNames : []);


    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the S3 data, local disks, EBS volumes and logs of the EMR cluster ${this.node.path}`, removalPolicy);
    this.logBucket = props.logBucket ?? new DataBucket(this, 'Logs', { removalPolicy: props.removalPolicy }).bucket;

    this.vpc = props.vpc ?? createVpc(this, this.encryptionKey, removalPolicy, props.availabilityZones);
    const subnets = this.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const sgs: EmrSecurityGroups = createSecurityGroups(this, this.vpc);
    this.primarySecurityGroup = sgs.primary;
    this.coreTaskSecurityGroup = sgs.coreAndTask;
    this.serviceAccessSecurityGroup = sgs.serviceAccess;
    this.connections = new ec2.Connections({ securityGroups: [sgs.primary] });

    validateAtSynth(this, v => {
      this.validate(v, props, release, appNames, capacity, idleTimeout, conflicts, steps, keepAlive, logPrefix);
      // EMR launches instance groups into one subnet and instance fleets into one of several.
      v.check(subnets.subnetIds.length >= 1, 'vpcSubnets', undefined, 'must select at least one subnet of the VPC');
    });

    this.securityConfiguration = new EmrSecurityConfiguration(this, 'SecurityConfiguration', {
      encryptionKey: this.encryptionKey,
      inTransitEncryption: props.inTransitEncryption,
      kerberos: props.kerberos,
    });

    this.instanceRole = createInstanceRole(this);
    const dataBuckets = props.dataBuckets ?? [];
    const keys = [this.encryptionKey, this.logBucket.encryptionKey, ...dataBuckets.map(b => b.encryptionKey)]
      .filter((k, i, all): k is kms.IKey => k !== undefined && all.indexOf(k) === i);
    const tls = props.inTransitEncryption;
    createInstancePolicy(this, this.instanceRole, {
      logBucket: this.logBucket,
      logPrefix,
      dataBuckets,
      keys,
      glueDatabases: glue ? props.glueDatabases ?? ['*'] : undefined,
      certificateObjectArn: tls ? tls.bucket.arnForObjects(tls.key) : undefined,
    });
    this.instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', { roles: [this.instanceRole.roleName] });
    this.autoScalingRole = hasAutomaticScaling(capacity) ? createAutoScalingRole(this) : undefined;
    this.serviceRole = createServiceRole(this, this.instanceRole, this.encryptionKey, this.autoScalingRole);

    const fleets = capacity.fleets !== undefined;
    const ms = props.managedScaling;
    this.cluster = new emr.CfnCluster(this, 'Resource', {
      name: props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 256 }),
      releaseLabel: release,
      applications: applications.map(a => ({ name: a.name })),
      configurations: renderConfigurations(configurations),
      serviceRole: this.serviceRole.roleArn,
      jobFlowRole: this.instanceProfile.ref,
      autoScalingRole: this.autoScalingRole?.roleArn,
      securityConfiguration: this.securityConfiguration.securityConfigurationName,
      logUri: this.logBucket.s3UrlForObject(logPrefix),
      logEncryptionKmsKeyId: this.encryptionKey.keyArn,
      kerberosAttributes: props.kerberos ? {
        realm: props.kerberos.realm,
        kdcAdminPassword: props.kerberos.kdcAdminPassword.unsafeUnwrap(),
      } : undefined,
      autoTerminationPolicy: autoTermination ? { idleTimeout: idleTimeout.toSeconds({ integral: false }) } : undefined,
      managedScalingPolicy: ms ? {
        computeLimits: {
          unitType: fleets ? 'InstanceFleetUnits' : ms.unit ?? EmrScalingUnit.INSTANCES,
          minimumCapacityUnits: ms.minimumCapacityUnits,
          maximumCapacityUnits: ms.maximumCapacityUnits,
          maximumCoreCapacityUnits: ms.maximumCoreCapacityUnits,
          maximumOnDemandCapacityUnits: ms.maximumOnDemandCapacityUnits,
        },
      } : undefined,
      bootstrapActions: props.bootstrapActions && props.bootstrapActions.length > 0 ? props.bootstrapActions.map(b => ({
        name: b.name,
        scriptBootstrapAction: { path: b.scriptUri, args: b.args },
      })) : undefined,
      steps: steps.length > 0 ? steps.map(s => ({
        name: s.name,
        actionOnFailure: s.actionOnFailure,
        hadoopJarStep: { jar: 'command-runner.jar', args: s.args },
      })) : undefined,
      instances: {
        ...renderInstances(capacity),
        ec2SubnetId: fleets ? undefined : subnets.subnetIds[0],
        ec2SubnetIds: fleets ? subnets.subnetIds : undefined,
        emrManagedMasterSecurityGroup: sgs.primary.securityGroupId,
        emrManagedSlaveSecurityGroup: sgs.coreAndTask.securityGroupId,
        serviceAccessSecurityGroup: sgs.serviceAccess.securityGroupId,
        terminationProtected: props.terminationProtection ?? false,
        keepJobFlowAliveWhenNoSteps: keepAlive,
        ec2KeyName: props.ec2KeyName,
      },
    });
    // The roles' policies must exist before EMR validates the roles at launch.
    for (const c of this.node.children) {
      if (c instanceof iam.ManagedPolicy) this.cluster.node.addDependency(c);
    }
    // EMR must be able to reach the nodes before the cluster starts; without the rules EMR adds its own.
    this.cluster.node.addDependency(sgs.primary, sgs.coreAndTask, sgs.serviceAccess);
    this.clusterId = this.cluster.ref;
    this.clusterArn = Stack.of(this).formatArn({ service: 'elasticmapreduce', resource: 'cluster', resourceName: this.clusterId });

    this.acknowledgeNagFindings(props);
    this.monitoring = this.createMonitoring(props);
  }

  /** A metric of this cluster in the `AWS/ElasticMapReduce` namespace, with the `JobFlowId` dimension. */
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

  private createMonitoring(props: EmrClusterProps): ArchitectureMonitoring {
    const t = props.alarmThresholds ?? {};
    const idleFor = t.idleFor ?? Duration.minutes(30);
    const idlePeriods = idleFor.isUnresolved() ? 6 : Math.max(1, Math.ceil(idleFor.toMinutes({ integral: false }) / 5));
    return new ArchitectureMonitoring(this, 'Monitoring', {
      alarmsEnabled: props.alarmsEnabled,
      alarmTopic: props.alarmTopic,
      alarmActionsEnabled: props.alarmActionsEnabled,
      dashboardEnabled: props.dashboardEnabled,
      dashboardName: props.dashboardName,
      title: `EMR cluster ${this.node.path}`,
      alarms: [
        {
          id: 'Idle',
          metric: this.metricIsIdle(),
          threshold: 1,
          evaluationPeriods: idlePeriods,
          // Idle time is money spent on nothing; the alarm fires before auto-termination so a long-running
          // cluster nobody uses gets noticed.
          description: `The cluster has been idle for ${idlePeriods * 5} minutes. Terminate it or check the job scheduler.`,
        },
        {
          id: 'UnhealthyNodes',
          metric: this.metricUnhealthyNodes(),
          threshold: t.unhealthyNodes ?? 1,
          evaluationPeriods: 3,
          // A node unhealthy for 15 minutes is not a blip: usually a full local disk or a lost Spot node.
          description: 'YARN reports unhealthy nodes for 15 minutes. Check disk usage and the node logs in S3.',
        },
        {
          id: 'HdfsUtilization',
          metric: this.metricHdfsUtilization(),
          threshold: t.hdfsUtilizationPercent ?? 80,
          evaluationPeriods: 3,
          // HDFS writes start failing as the disks fill; 80% leaves room to add core capacity.
          description: 'HDFS is filling up. Add core capacity or move data to S3.',
        },
        {
          id: 'YarnMemoryAvailable',
          metric: this.metricYarnMemoryAvailablePercentage(),
          threshold: t.yarnMemoryAvailablePercent ?? 15,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 3,
          // 15% is the usual scale-out point: below it new containers wait for memory.
          description: 'Little YARN memory is available for 15 minutes. Raise the scaling limits or add task nodes.',
        },
        {
          id: 'AppsPending',
          metric: this.metricAppsPending(),
          threshold: t.appsPending ?? 5,
          evaluationPeriods: 3,
          // Applications queueing for 15 minutes mean the cluster is too small for its workload.
          description: 'YARN applications have been waiting for resources for 15 minutes. Add capacity or spread the schedule.',
        },
      ],
      sections: [
        {
          title: 'Capacity',
          widgets: [
            graph('Nodes', [this.metricCoreNodesRunning(), this.metricTaskNodesRunning()], [this.metricUnhealthyNodes()]),
            graph('YARN memory available (%) and HDFS used (%)', [this.metricYarnMemoryAvailablePercentage(), this.metricHdfsUtilization()]),
          ],
        },
        {
          title: 'Workload',
          widgets: [
            graph('YARN applications', [this.metricAppsRunning(), this.metricAppsPending()]),
            graph('Idle', [this.metricIsIdle()]),
          ],
        },
      ],
    });
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
      acks.push({ id: 'HIPAA.Security-EMRKerberosEnabled', reason: kerberos }, { id: 'PCI.DSS.321-EMRKerberosEnabled', reason: kerberos });
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

  private validate(v: PropsValidator, props: EmrClusterProps, release: string, appNames: string[], capacity: EmrCapacity,
    idleTimeout: Duration, conflicts: string[], steps: EmrStep[], keepAlive: boolean, logPrefix: string): void {
    // Release labels are emr-x.y.z. https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html
    v.matches('releaseLabel', release, /^emr-\d+\.\d+\.\d+$/, "a release label such as 'emr-7.13.0'");
    const knownRelease = !Token.isUnresolved(release) && parseRelease(release) !== undefined;
    // The construct always encrypts the logs it archives to S3 (LogEncryptionKmsKeyId), which EMR supports
    // from 5.30.0, excluding 6.0.0.
    // https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html (LogEncryptionKmsKeyId)
    if (knownRelease) {
      v.check(releaseAtLeast(release, { 5: '5.30.0', 6: '6.1.0' }), 'releaseLabel', release,
        'must be emr-5.30.0 or later, excluding emr-6.0.0: the cluster encrypts its S3 logs with KMS (LogEncryptionKmsKeyId)');
    }
    // Kerberos: 5.10.0 and later. https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html
    if (props.kerberos && knownRelease) {
      v.check(releaseAtLeast(release, { 5: '5.10.0' }), 'kerberos', undefined, `needs release emr-5.10.0 or later (releaseLabel is '${release}')`);
    }
    // Instance fleets: 4.8.0 and later, excluding 5.0.x.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-fleet.html
    if (capacity.fleets && knownRelease) {
      const r = parseRelease(release)!;
      v.check(releaseAtLeast(release, { 4: '4.8.0' }) && !(r[0] === 5 && r[1] === 0), 'capacity', new Shown('instance fleets'),
        `need release emr-4.8.0 or later, excluding 5.0.x (releaseLabel is '${release}')`);
    }
    v.check(appNames.length >= 1, 'applications', appNames, 'must list at least one application');
    const dupApps = appNames.filter((a, i) => appNames.indexOf(a) !== i);
    v.check(dupApps.length === 0, 'applications', appNames, `must not repeat an application (${dupApps.join(', ')})`);
    // Trino and PrestoDB cannot be installed on the same cluster.
    // https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-trino.html
    v.check(!(appNames.includes('Trino') && appNames.includes('Presto')), 'applications', appNames, 'must not contain both Trino and Presto');
    for (const c of conflicts) v.fail('configurations', undefined, c);
    (props.configurations ?? []).forEach((c, i) => v.matches(`configurations[${i}].classification`, c.classification, /^[A-Za-z0-9.-]+$/, 'a classification name such as spark-defaults'));

    validateCapacity(v, capacity, release);

    // Auto-termination: 60 s to 7 days, from EMR 5.30.0 / 6.1.0.
    // https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html
    if (!idleTimeout.isUnresolved() && idleTimeout.toSeconds({ integral: false }) !== 0) {
      v.durationInRange('idleTimeout', idleTimeout, Duration.seconds(60), Duration.days(7), 'seconds');
      const seconds = idleTimeout.toSeconds({ integral: false });
      v.check(Number.isInteger(seconds), 'idleTimeout', new Shown(`${seconds} seconds`), 'must be a whole number of seconds');
      if (knownRelease) {
        v.check(releaseAtLeast(release, { 5: '5.30.0', 6: '6.1.0' }), 'idleTimeout', idleTimeout,
          `needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is '${release}'); set Duration.seconds(0) to turn auto-termination off`);
      }
    }

    const ms = props.managedScaling;
    if (ms) {
      // Managed scaling: 5.30.0 / 6.1.0 and later; MinimumCapacityUnits <= MaximumCapacityUnits, and the
      // core and On-Demand limits at most MaximumCapacityUnits.
      // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html
      // https://docs.aws.amazon.com/emr/latest/APIReference/API_ComputeLimits.html
      if (knownRelease) {
        v.check(releaseAtLeast(release, { 5: '5.30.0', 6: '6.1.0' }), 'managedScaling', undefined,
          `needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is '${release}')`);
      }
      wholeAtLeast(v, 'managedScaling.minimumCapacityUnits', ms.minimumCapacityUnits, 1);
      wholeAtLeast(v, 'managedScaling.maximumCapacityUnits', ms.maximumCapacityUnits, 1);
      const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);
      if (known(ms.minimumCapacityUnits) && known(ms.maximumCapacityUnits)) {
        v.check(ms.minimumCapacityUnits <= ms.maximumCapacityUnits, 'managedScaling.minimumCapacityUnits', ms.minimumCapacityUnits,
          `must be at most managedScaling.maximumCapacityUnits (${ms.maximumCapacityUnits})`);
      }
      for (const key of ['maximumCoreCapacityUnits', 'maximumOnDemandCapacityUnits'] as const) {
        const value = ms[key];
        wholeAtLeast(v, `managedScaling.${key}`, value, 1);
        if (known(value) && known(ms.maximumCapacityUnits)) {
          v.check(value <= ms.maximumCapacityUnits, `managedScaling.${key}`, value,
            `must be at most managedScaling.maximumCapacityUnits (${ms.maximumCapacityUnits})`);
        }
      }
      // Instance fleets always count in fleet units.
      v.requires('managedScaling.unit', ms.unit !== undefined, !capacity.fleets, 'instance groups (instance fleets count in fleet units)');
      // A cluster uses managed scaling or automatic scaling policies, not both.
      // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html
      v.exclusive('managedScaling', true, 'capacity.tasks[].automaticScaling', hasAutomaticScaling(capacity));
    }

    // A transient cluster without steps would terminate as soon as it starts.
    v.check(keepAlive || steps.length > 0, 'keepAliveWhenNoSteps', false, 'needs at least one step, or the cluster terminates as soon as it starts');
    // A cluster accepts at most 256 active steps.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-add-steps.html
    v.countInRange('steps', steps, 0, 256);
    steps.forEach((s, i) => {
      v.matches(`steps[${i}].name`, s.name, /^.{1,256}$/s, 'between 1 and 256 characters');
      if (s.requiredApplication) {
        v.check(appNames.includes(s.requiredApplication.name), `steps[${i}]`, s.name,
          `needs the ${s.requiredApplication.name} application (applications are ${appNames.join(', ')})`);
      }
      if (s.scriptUri !== undefined) {
        v.matches(`steps[${i}]`, s.scriptUri, /^s3:\/\/[^/]+\/.+/, 'an S3 URI (s3://bucket/key) of the step code');
      }
    });
    // Up to 16 bootstrap actions, each a script in S3.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-bootstrap.html
    v.countInRange('bootstrapActions', props.bootstrapActions, 0, 16);
    (props.bootstrapActions ?? []).forEach((b, i) => {
      v.matches(`bootstrapActions[${i}].scriptUri`, b.scriptUri, /^s3:\/\/[^/]+\/.+/, 'an S3 URI (s3://bucket/key) of the script');
      v.matches(`bootstrapActions[${i}].name`, b.name, /^.{1,256}$/s, 'between 1 and 256 characters');
    });
    // The AZs only shape a VPC the construct creates.
    v.exclusive('availabilityZones', props.availabilityZones !== undefined, 'vpc', props.vpc !== undefined);
    v.countInRange('availabilityZones', props.availabilityZones, 2, 6);
    v.matches('logPrefix', logPrefix, /^([^/].*\/)?$/, "a key prefix that ends in '/' and does not start with '/' (or '')");
  }
}


/**
 * Adds the Glue Data Catalog client factory to the classifications of the installed applications, and
 * reports user settings that contradict it.
 */
function mergeGlueConfigurations(user: EmrConfiguration[], appNames: string[]): { configurations: EmrConfiguration[]; conflicts: string[] } {
  const wanted: Array<[string, string, string]> = [];
  if (appNames.includes('Hive')) wanted.push(['hive-site', 'hive.metastore.client.factory.class', GLUE_FACTORY]);
  if (appNames.includes('Spark')) wanted.push(['spark-hive-site', 'hive.metastore.client.factory.class', GLUE_FACTORY]);
  if (appNames.includes('Trino')) wanted.push(['trino-connector-hive', 'hive.metastore', 'glue']);
  if (appNames.includes('Presto')) wanted.push(['presto-connector-hive', 'hive.metastore', 'glue']);
  const conflicts: string[] = [];
  const out = user.map(c => ({ ...c, properties: c.properties ? { ...c.properties } : undefined }));
  for (const [classification, key, value] of wanted) {
    const existing = out.find(c => c.classification === classification);
    if (!existing) {
      out.push({ classification, properties: { [key]: value } });
      continue;
    }
    const given = existing.properties?.[key];
    if (given !== undefined && given !== value) {
      conflicts.push(`${classification} ${key} ('${given}') contradicts glueDataCatalog: true, which sets '${value}'; set glueDataCatalog: false to use another metastore`);
      continue;
    }
    (existing as { properties?: Record<string, string> }).properties = { ...existing.properties, [key]: value };
  }
  return { configurations: out, conflicts };
}
