import { Annotations, ArnFormat, Duration, Names, Stack, Token } from 'aws-cdk-lib';
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
import { acknowledgeWildcardResources } from '../core/nag';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { validateAtSynth } from '../core/validation';
import { FlinkApplicationProps } from './flink-application-props';
import { FlinkInput } from './input';
import { FlinkLogLevel, FlinkMetricsLevel, FlinkRuntime } from './options';
import { flinkAlarms, flinkDashboard, restartMetricName } from './private/monitoring';
import { applicationStatements, flinkServicePrincipal, WILDCARD_REASONS } from './private/permissions';
import { checkFlinkProps, ResolvedFlinkProps } from './private/rules';

/** The log stream the application writes to, in its own log group. */
const LOG_STREAM_NAME = 'application';

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
export class FlinkApplication extends Construct implements iam.IGrantable {
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
  /** The security groups of the application's network interfaces (empty outside a VPC). */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;

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

    // --- Network.
    if (props.vpc) {
      this.securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `Network interfaces of the Flink application ${this.node.path}`,
        allowAllOutbound: true,
      })];
    } else {
      this.securityGroups = [];
    }
    // Private subnets with egress by default; a VPC without them (isolated subnets and VPC endpoints only, like
    // SecureVpc's) gets its isolated subnets rather than an aws-cdk-lib error.
    const defaultSubnets = props.vpc && props.vpc.privateSubnets.length === 0 && props.vpc.isolatedSubnets.length > 0
      ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const subnetIds = props.vpc ? props.vpc.selectSubnets(props.vpcSubnets ?? defaultSubnets).subnetIds : undefined;

    const resolved: ResolvedFlinkProps = {
      runtime: this.runtime, applicationName: props.applicationName, description, codeKey: code.key, parallelism, parallelismPerKpu,
      maxKpus: props.maxKpus ?? 64, checkpointInterval, minPauseBetweenCheckpoints: minPause, logLevel, metricsLevel, propertyGroups,
      vpcGiven: !!props.vpc, vpcSubnetsGiven: !!props.vpcSubnets, securityGroupsGiven: !!props.securityGroups, subnetIds,
      securityGroupIds: props.vpc ? this.securityGroups.map(sg => sg.securityGroupId) : undefined,
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
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the logs of the Flink application ${this.node.path}`,
      removalPolicy);
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
    const statements = applicationStatements(stack, this.input, code, this.logGroup.logGroupName, LOG_STREAM_NAME, !!props.vpc);
    statements.forEach(s => this.role.addToPrincipalPolicy(s));
    acknowledgeWildcardResources(this.role.policy, statements, WILDCARD_REASONS);

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
        vpcConfigurations: props.vpc ? [{ subnetIds: subnetIds!, securityGroupIds: this.securityGroups.map(sg => sg.securityGroupId) }] : undefined,
      },
    });
    this.application.applyRemovalPolicy(removalPolicy);
    // The service checks the role when the application is created: its policy must be attached by then.
    this.application.node.addDependency(this.role.policy);

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
    loggingOption.node.addDependency(this.role.policy);

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
