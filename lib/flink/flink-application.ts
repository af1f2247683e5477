import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesisanalytics from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { createEncryptionKey } from '../core/encryption-key';
import { ensureLogsCanUseKey } from '../core/logs-key-policy';
import { ManagedPolicyRole } from '../core/managed-policy-role';
import { ArchitectureMonitoring } from '../core/monitoring';
import { acknowledgeWildcards } from '../core/nag';
import { AnalyticsNetworkConfig } from '../core/private/network-config';
import { checkNetwork, createConstructVpc } from '../core/private/network-vpc';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { SecureVpc } from '../core/secure-vpc';
import { validateAtSynth, validateAtSynthAndNow } from '../core/validation';
import { FlinkApplicationProps } from './flink-application-props';
import { FlinkInput } from './input';
import { FlinkLogLevel, FlinkMetricsLevel, FlinkRuntime } from './options';
import { flinkAlarms, flinkDashboard, restartMetricName } from './private/monitoring';
import { applicationStatements, flinkServicePrincipal, WILDCARD_REASONS } from './private/permissions';
import { checkFlinkProps, ResolvedFlinkProps } from './private/rules';

/** The log stream the application writes to, in its own log group. */
const LOG_STREAM_NAME = 'application';
/** The defaults of the VPC the application creates (`AnalyticsNetwork.newVpc`). */
const FLINK_VPC_DEFAULTS = { cidr: '10.0.0.0/16', subnetCidrMask: 22, natGateways: 0 };

/** Where the application's network interfaces are. */
interface VpcPlacement {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly subnetIds: string[];
  readonly problem?: string;
}

/**
 * A Managed Service for Apache Flink application that reads a Kinesis data stream: your Flink code (a JAR or a Python
 * zip in S3), on a Flink runtime, with its parallelism and autoscaling, checkpoints and snapshots, optionally in your
 * VPC, logging to an encrypted log group, and with a role that may read only its input stream, its code object and
 * write only its log stream.
 *
 * Built on the CloudFormation resource `AWS::KinesisAnalyticsV2::Application` (aws-cdk-lib's L1), not on the alpha
 * `@aws-cdk/aws-kinesisanalytics-flink-alpha` module, whose API may change in any release.
 *
 * **CloudFormation creates the application stopped (READY): nothing runs and nothing is billed until you start it**,
 * after the deploy, with `aws kinesisanalyticsv2 start-application --application-name <applicationName>` (it restores the
 * latest snapshot unless the run configuration says `SKIP_RESTORE_FROM_SNAPSHOT`).
 * A later deploy that changes the application updates it in place; a running application restarts from a snapshot.
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_StartApplication.html
 *
 * @example
 * const app = new FlinkApplication(this, 'Sessions', {
 *   code: FlinkApplicationCode.fromBucket(artifacts, 'flink/sessions-1.0.jar'),
 *   input: FlinkInput.fromStreamingDataLake(lake),
 *   parallelism: 2,
 *   propertyGroups: [{ id: 'InputStream', properties: { 'stream.arn': lake.stream.streamArn } }],
 * });
 */
export class FlinkApplication extends Construct implements iam.IGrantable, ec2.IConnectable {
  /** The application's name (use it with `start-application`). */
  public readonly applicationName: string;
  /** The application's ARN. */
  public readonly applicationArn: string;
  /** The CloudFormation resource, for settings this construct does not expose. */
  public readonly application: kinesisanalytics.CfnApplication;
  /** The role the application runs with. */
  public readonly role: ManagedPolicyRole;
  /** The role, as the principal of grants to what the application writes (`outputStream.grantWrite(app)`). */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The log group of the application's log stream. */
  public readonly logGroup: logs.LogGroup;
  /** The log stream the application writes to. */
  public readonly logStream: logs.LogStream;
  /** The key that encrypts the log group. */
  public readonly encryptionKey: kms.IKey;
  /** The input the application reads. */
  public readonly input: FlinkInput;
  /** The Flink runtime. */
  public readonly runtime: FlinkRuntime;
  /** The VPC of the application's network interfaces (undefined outside a VPC). */
  public readonly vpc?: ec2.IVpc;
  /**
   * The security group of the application's network interfaces: the one given to `AnalyticsNetwork.fromVpc`, or a
   * new one (undefined outside a VPC).
   */
  public readonly securityGroup?: ec2.ISecurityGroup;
  /** The security groups of the application's network interfaces (empty outside a VPC): `[securityGroup]`. */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;

  private readonly appConnections?: ec2.Connections;

  constructor(scope: Construct, id: string, props: FlinkApplicationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    this.input = props.input;
    this.runtime = props.runtime ?? FlinkRuntime.FLINK_1_20;
    // A name chosen here, not by CloudFormation, so that the trust policy can name this one application.
    this.applicationName = props.applicationName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.applicationArn = stack.formatArn({
      service: 'kinesisanalytics', resource: 'application', resourceName: this.applicationName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const code = props.code.bind(this);
    const parallelism = props.parallelism ?? 1;
    const parallelismPerKpu = props.parallelismPerKpu ?? 1;
    const checkpointInterval = props.checkpointInterval ?? Duration.minutes(1);
    const minPause = props.minPauseBetweenCheckpoints ?? Duration.seconds(5);
    const logLevel = props.logLevel ?? FlinkLogLevel.INFO;
    const metricsLevel = props.metricsLevel ?? FlinkMetricsLevel.APPLICATION;
    const propertyGroups = props.propertyGroups ?? [];
    const description = props.description ?? `Flink application ${this.node.path}`;

    // --- Key: the logs' (and a new VPC's flow logs').
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the logs of the Flink application ${this.node.path}`,
      removalPolicy);
    // --- Network: none by default; a public endpoint does not apply (reported at synth).
    const config = props.network?._config.kind === 'public' ? undefined : props.network?._config;
    const networkFailed = validateAtSynthAndNow(this, v => checkNetwork(v, props.network?._config, 'FlinkApplication', false, FLINK_VPC_DEFAULTS));
    const placement = config ? this.placeInVpc(config, removalPolicy, !networkFailed.has('network.cidr')) : undefined;
    this.vpc = placement?.vpc;
    this.securityGroup = placement?.securityGroup;
    this.securityGroups = this.securityGroup ? [this.securityGroup] : [];
    if (this.securityGroup) {
      this.appConnections = new ec2.Connections({ securityGroups: [this.securityGroup] });
    }

    const resolved: ResolvedFlinkProps = {
      runtime: this.runtime, applicationName: props.applicationName, description, codeKey: code.key, parallelism, parallelismPerKpu,
      maxKpus: props.maxKpus ?? 64, checkpointInterval, minPauseBetweenCheckpoints: minPause, logLevel, metricsLevel, propertyGroups,
      subnetIds: placement?.subnetIds, subnetProblem: placement?.problem,
      millisBehindLatest: props.alarmThresholds?.millisBehindLatest ?? Duration.minutes(1),
    };
    validateAtSynth(this, v => checkFlinkProps(v, resolved));
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-kinesisanalyticsv2-application-monitoringconfiguration.html
    if (metricsLevel === FlinkMetricsLevel.PARALLELISM && !Token.isUnresolved(parallelism) && parallelism > 64) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:flinkParallelismMetricsCost',
        `metricsLevel PARALLELISM with parallelism ${parallelism} publishes metrics for every parallel subtask: AWS does not ` +
        'recommend it above a parallelism of 64, because of the CloudWatch cost');
    }

    // --- Logs: an encrypted log group with one log stream.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    ensureLogsCanUseKey(this, this.encryptionKey, this.logGroup);
    this.logStream = new logs.LogStream(this, 'LogStream', { logGroup: this.logGroup, logStreamName: LOG_STREAM_NAME, removalPolicy });

    // --- Role: only what this application calls.
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: flinkServicePrincipal(stack, this.applicationArn),
      description: `Runs the Flink application ${this.node.path}`,
    });
    this.grantPrincipal = this.role;
    const statements = applicationStatements(stack, this.input, code, this.logGroup.logGroupName, LOG_STREAM_NAME, placement !== undefined);
    statements.forEach(s => this.role.addToPrincipalPolicy(s));
    acknowledgeWildcards(this.role, WILDCARD_REASONS);

    // --- The application.
    this.application = new kinesisanalytics.CfnApplication(this, 'Resource', {
      applicationName: this.applicationName,
      applicationDescription: description,
      runtimeEnvironment: this.runtime.value,
      serviceExecutionRole: this.role.roleArn,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: 'ZIPFILE',
          codeContent: { s3ContentLocation: { bucketArn: code.bucket.bucketArn, fileKey: code.key, objectVersion: code.objectVersion } },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: props.snapshotsEnabled ?? true },
        environmentProperties: propertyGroups.length === 0 ? undefined : {
          propertyGroups: propertyGroups.map(g => ({ propertyGroupId: g.id, propertyMap: g.properties })),
        },
        flinkApplicationConfiguration: {
          checkpointConfiguration: {
            configurationType: 'CUSTOM',
            checkpointingEnabled: true,
            checkpointInterval: checkpointInterval.toMilliseconds({ integral: false }),
            minPauseBetweenCheckpoints: minPause.toMilliseconds({ integral: false }),
          },
          monitoringConfiguration: { configurationType: 'CUSTOM', logLevel, metricsLevel },
          parallelismConfiguration: {
            configurationType: 'CUSTOM',
            parallelism,
            parallelismPerKpu,
            autoScalingEnabled: props.autoScalingEnabled ?? true,
          },
        },
        vpcConfigurations: placement ? [{ subnetIds: placement.subnetIds, securityGroupIds: [placement.securityGroup.securityGroupId] }] : undefined,
      },
    });
    this.application.applyRemovalPolicy(removalPolicy);
    // The service checks the role when the application is created: its policy must be attached by then.
    this.application.node.addDependency(this.role.allPolicies);

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesisanalyticsv2-applicationcloudwatchloggingoption.html
    const loggingOption = new kinesisanalytics.CfnApplicationCloudWatchLoggingOption(this, 'Logging', {
      applicationName: this.application.ref,
      cloudWatchLoggingOption: {
        logStreamArn: stack.formatArn({
          service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          resourceName: `${this.logGroup.logGroupName}:log-stream:${this.logStream.logStreamName}`,
        }),
      },
    });
    loggingOption.node.addDependency(this.role.allPolicies);

    // --- Alarms and dashboard.
    const restartMetric = restartMetricName(this.runtime.majorVersion);
    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      title: `Flink application ${this.node.path}`,
      alarmsEnabled: props.alarmsEnabled,
      alarmTopic: props.alarmTopic,
      alarmActionsEnabled: props.alarmActionsEnabled,
      dashboardEnabled: props.dashboardEnabled,
      dashboardName: props.dashboardName,
      alarms: flinkAlarms(this, resolved.millisBehindLatest, restartMetric),
      sections: flinkDashboard(this, restartMetric),
    });
  }
  /**
   * The network connections of the application's network interfaces (to let it reach a database:
   * `db.connections.allowDefaultPortFrom(app)`). Only for an application in a VPC: reading it otherwise throws.
   */
  public get connections(): ec2.Connections {
    if (!this.appConnections) {
      throw new Error(`${this.node.path}: connections are only available for an application in a VPC (pass network: AnalyticsNetwork.fromVpc(vpc))`);
    }
    return this.appConnections;
  }

  /**
   * The VPC, subnets and security group of the application: a VPC this construct creates (isolated subnets with the
   * endpoints the application calls, unless it has NAT), or the user's. A selection aws-cdk-lib would throw on is
   * reported at synth with the rest (`network.subnets`). `safeCidr`: as `createConstructVpc` takes it.
   */
  private placeInVpc(config: Exclude<AnalyticsNetworkConfig, { kind: 'public' }>, removalPolicy: RemovalPolicy, safeCidr: boolean): VpcPlacement {
    let vpc: ec2.IVpc;
    let selection: ec2.SubnetSelection | undefined;
    let created: SecureVpc | undefined;
    if (config.kind === 'newVpc') {
      created = createConstructVpc(this, 'Network', config.props, {
        purpose: `the Flink application ${this.node.path}`, cidr: FLINK_VPC_DEFAULTS.cidr, maxAzs: 2,
        natGateways: FLINK_VPC_DEFAULTS.natGateways, subnetName: 'Application', subnetCidrMask: FLINK_VPC_DEFAULTS.subnetCidrMask,
        flowLogEncryptionKey: this.encryptionKey, removalPolicy,
      }, safeCidr);
      vpc = created.vpc;
      selection = created.workloadSubnets;
    } else {
      vpc = config.vpc;
      // Private subnets with egress by default; a VPC without them (isolated subnets and VPC endpoints only, like
      // SecureVpc's) gets its isolated subnets rather than an aws-cdk-lib error.
      selection = config.subnets ?? (vpc.privateSubnets.length === 0 && vpc.isolatedSubnets.length > 0
        ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    }
    const securityGroup = (config.kind === 'vpc' ? config.securityGroup : undefined) ?? new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Network interfaces of the Flink application ${this.node.path}`,
      allowAllOutbound: true,
    });
    if (created && created.vpc.privateSubnets.length === 0) {
      // Isolated subnets: the application reaches its stream, its logs and CloudWatch through interface endpoints (S3
      // through the VPC's gateway endpoint). https://docs.aws.amazon.com/managed-flink/latest/java/vpc-internet.html
      created.addInterfaceEndpoint('Kinesis', ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS);
      created.addInterfaceEndpoint('Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
      created.addInterfaceEndpoint('Monitoring', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING);
      created.allowEndpointAccessFrom(securityGroup, 'The Flink application');
    }
    try {
      return { vpc, securityGroup, subnetIds: vpc.selectSubnets(selection).subnetIds };
    } catch (e) {
      return { vpc, securityGroup, subnetIds: [], problem: (e as Error).message };
    }
  }

  /**
   * A metric the application publishes in `AWS/KinesisAnalytics` with its `Application` dimension (application-level
   * metrics such as `downtime`, `uptime`, `fullRestarts`, `numberOfFailedCheckpoints`, `KPUs`).
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/KinesisAnalytics',
      metricName,
      dimensionsMap: { Application: this.applicationName },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** `downtime`: milliseconds the running job has been failing or recovering (maximum over 5 minutes). */
  public metricDowntime(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('downtime', { statistic: 'Maximum', ...props });
  }

  /**
   * `millisBehindLatest` of the Kinesis source reading `input`: how far behind the head of the stream it reads
   * (maximum over 1 minute). Published by the Flink Kinesis connectors with the dimensions `Application`, `Flow`
   * (`Input`) and `Id` (the stream name, or the input's `metricId`), as the AWS samples' Managed Service for Apache
   * Flink dashboard reads it.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html
   * @see https://github.com/aws-samples/amazon-managed-service-for-apache-flink-examples/blob/main/infrastructure/monitoring/monitoring-dashboard.yml
   */
  public metricMillisBehindLatest(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/KinesisAnalytics',
      metricName: 'millisBehindLatest',
      dimensionsMap: { Application: this.applicationName, Flow: 'Input', Id: this.input.metricId },
      statistic: 'Maximum',
      period: Duration.minutes(1),
      ...props,
    });
  }
}
